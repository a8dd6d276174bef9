import { test, expect } from "@playwright/test";

const PASSWORD = process.env.LIMELIGHT_DEMO_PASSWORD ?? "limelight-demo";

test("a client filters and pages through the work history", async ({ page }) => {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto("/login");
  await page.getByLabel("Email").fill("lee@acme-dental.test");
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Work history" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Work history");

  // Page back through everything: each page is new rows.
  const firstPage = await page.locator(".feed-item h3 a").allTextContents();
  expect(firstPage.length).toBe(25);
  await page.getByRole("link", { name: "Older work →" }).click();
  await expect(page).toHaveURL(/after=/);
  await expect(page.getByRole("link", { name: "← Newest" })).toBeVisible();
  const hrefs1 = await page.locator(".feed-item h3 a").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
  expect(hrefs1.length).toBeGreaterThan(0);

  // Filter to backups only.
  await page.getByRole("link", { name: "Clear" }).click();
  await page.getByLabel("Category").selectOption("backup");
  await page.getByRole("button", { name: "Show" }).click();
  await expect(page).toHaveURL(/category=backup/);
  const badges = await page.locator(".feed-item .badge").allTextContents();
  expect(badges.length).toBeGreaterThan(0);
  for (const b of badges) expect(b).toContain("Backups");
  expect(errors).toEqual([]);
});
