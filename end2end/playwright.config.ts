import { defineConfig } from "@playwright/test";

// The server is started by `cargo xtask test` (fresh database, demo data) and its address passed
// in LIMELIGHT_BASE_URL. The browser is the system's Chromium: Playwright's own download cannot
// work on machines without internet access.
export default defineConfig({
  testDir: "./tests",
  timeout: 30_000,
  retries: 0,
  workers: 1,
  reporter: [["list"]],
  use: {
    baseURL: process.env.LIMELIGHT_BASE_URL ?? "http://127.0.0.1:3000",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--disable-sync",
      ],
    },
  },
});
