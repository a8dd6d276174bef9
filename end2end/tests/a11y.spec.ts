import { test, expect, Page } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";

const PASSWORD = process.env.LIMELIGHT_DEMO_PASSWORD ?? "limelight-demo";

async function serious(page: Page, path: string) {
  await page.goto(path);
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${path}: ${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`);
}

for (const scheme of ["light", "dark"] as const) {
  test(`client pages have no serious accessibility violations (${scheme})`, async ({ page }) => {
    // Seventeen pages, each analysed in full.
    test.setTimeout(180_000);
    await page.emulateMedia({ colorScheme: scheme });
    const problems: string[] = [];
    problems.push(...(await serious(page, "/login")));
    await page.getByLabel("Email").fill("dana@acme-dental.test");
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/portal$/);
    const entry = await page.locator(".feed-item h3 a").first().getAttribute("href");
    const system = "/portal/systems";
    for (const path of [
      "/portal",
      "/portal/work",
      entry!,
      "/portal/tickets",
      "/portal/tickets/new",
      "/portal/tickets/1",
      system,
      "/portal/team",
      "/portal/summaries",
      "/portal/account",
      "/portal/users",
      "/portal/priorities",
      "/portal/approvals",
      "/portal/approvals/1",
      "/portal/incidents",
      "/portal/no-such-page",
    ]) {
      problems.push(...(await serious(page, path)));
    }
    expect(problems).toEqual([]);
  });
}
