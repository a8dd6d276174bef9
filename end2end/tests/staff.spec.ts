import { test, expect, Page } from "@playwright/test";
import { PASSWORD, signIn } from "./auth";

/** Hydration mismatches and script errors show up here: there must be none. */
function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  return errors;
}

test("a tech logs an after-hours patch on two systems; only that client sees it", async ({ page }) => {
  const errors = watchErrors(page);
  await signIn(page, "sam@limelight.test");
  await expect(page).toHaveURL(/\/msp$/);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Log work" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Log work");

  await page.getByLabel("Client", { exact: true }).selectOption({ label: "Harbor Architects" });
  await page.getByLabel("Title", { exact: true }).fill("Patched both servers overnight");
  // Only Harbor's systems are offered once Harbor is chosen.
  const group = page.locator(".system-group:not([hidden])");
  await expect(group).toHaveCount(1);
  const boxes = group.getByRole("checkbox");
  await boxes.nth(0).check();
  await boxes.nth(1).check();
  await page.getByLabel("Category", { exact: true }).selectOption("patch");
  // Two days ago at 23:00, in the client's own time zone: after hours wherever it is.
  const day = new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10);
  await page.getByLabel("Start (the client's local time)").fill(`${day}T23:00`);
  await page.getByLabel("Duration (minutes, or h:mm)").fill("1:30");
  // Shown before saving.
  await expect(page.locator("#after-hours-check")).toContainText("After hours for this client");
  await page.getByLabel("Why it matters (one sentence for the client)").fill("Closes a hole attackers are using.");
  await page.getByRole("button", { name: "Log the work" }).click();
  await expect(page).toHaveURL(/\/msp\/clients\/harbor-architects/);
  await expect(page.locator("#work")).toContainText("Patched both servers overnight");
  await expect(page.locator("#work tr", { hasText: "Patched both servers overnight" })).toContainText("after hours");

  await signIn(page, "maya@harbor-architects.test");
  await expect(page).toHaveURL(/\/portal$/);
  await expect(page.locator(".feed")).toContainText("Patched both servers overnight");

  await signIn(page, "dana@acme-dental.test");
  await expect(page).toHaveURL(/\/portal$/);
  await expect(page.locator(".feed-item").first()).toBeVisible();
  await expect(page.getByText("Patched both servers overnight")).toHaveCount(0);
  expect(errors).toEqual([]);
});

test("a tech takes today off and the client's team card shows the backup covering", async ({ page }) => {
  const errors = watchErrors(page);
  // Northwind Legal: Riley is the primary, Jordan the backup.
  await signIn(page, "priya@northwind-legal.test");
  await expect(page.locator(".team-card")).toContainText("Riley");
  await expect(page.locator(".team-card")).not.toContainText("is covering");

  await signIn(page, "riley@limelight.test");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Time off" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Time off");
  const today = new Date().toISOString().slice(0, 10);
  await page.getByLabel("First day").fill(today);
  await page.getByLabel("Note").fill("Sick day");
  await page.getByRole("button", { name: "Add", exact: true }).click();
  await expect(page.locator("table", { hasText: "Sick day" })).toContainText("Riley Chen");

  await signIn(page, "priya@northwind-legal.test");
  await expect(page.locator(".team-card")).toContainText("so Jordan Silva is covering");
  expect(errors).toEqual([]);
});

test("staff pages have no serious accessibility violations", async ({ page }) => {
  test.setTimeout(180_000);
  const AxeBuilder = (await import("@axe-core/playwright")).default;
  // An MSP admin sees every staff page, the administration included.
  await signIn(page, "morgan@limelight.test");
  await expect(page).toHaveURL(/\/msp$/);
  const problems: string[] = [];
  for (const path of [
    "/msp",
    "/msp/clients",
    "/msp/clients/acme-dental",
    "/msp/clients/acme-dental/preview",
    "/msp/work/new",
    "/msp/tickets",
    "/msp/tickets/1",
    "/msp/coverage",
    "/msp/time-off",
    "/msp/summaries",
    "/msp/summaries/1",
    "/msp/admin/clients",
    "/msp/admin/users",
    "/msp/admin/integrations",
    "/msp/admin/jobs",
    "/msp/audit",
  ]) {
    await page.goto(path);
    const results = await new AxeBuilder({ page }).analyze();
    problems.push(
      ...results.violations
        .filter((v) => v.impact === "serious" || v.impact === "critical")
        .map((v) => `${path}: ${v.id}: ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`),
    );
  }
  expect(problems).toEqual([]);
});

test("work can be logged without JavaScript, and bad input says why", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  // Setting up the second step works without JavaScript too.
  await signIn(page, "jordan@limelight.test");
  await page.goto("/msp/work/new?client=acme-dental");
  await page.getByLabel("Title", { exact: true }).fill("Checked the backups by hand");
  await page.getByLabel("Duration (minutes, or h:mm)").fill("soon");
  await page.getByRole("button", { name: "Log the work" }).click();
  await expect(page.getByRole("alert")).toContainText("Please give the duration in minutes");
  await page.getByLabel("Title", { exact: true }).fill("Checked the backups by hand");
  await page.getByLabel("Duration (minutes, or h:mm)").fill("45");
  await page.locator(".system-group:not([hidden])").getByRole("checkbox").first().check();
  await page.getByRole("button", { name: "Log the work" }).click();
  await expect(page).toHaveURL(/\/msp\/clients\/acme-dental/);
  await expect(page.locator("#work")).toContainText("Checked the backups by hand");
  await context.close();
});
