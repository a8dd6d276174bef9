// On a phone (360 px) the top bar fits and every link stays reachable: the links sit behind
// "Menu", a disclosure that opens without JavaScript.
import { test, expect, Page } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import { PASSWORD, signIn } from "./auth";

test.use({ viewport: { width: 360, height: 740 } });

/** The top bar fits; on client pages (written for phones) the whole page does too. Staff
 * tables are dense by design and may scroll. */
async function fitsTheScreen(page: Page, wholePage = true) {
  const widths = await page.evaluate(() => ({
    page: document.documentElement.scrollWidth,
    bar: document.querySelector(".top-bar")!.scrollWidth,
    screen: window.innerWidth,
  }));
  expect(widths.bar).toBeLessThanOrEqual(widths.screen);
  if (wholePage) expect(widths.page).toBeLessThanOrEqual(widths.screen);
}

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("a client finds every page from the menu at 360 px", async ({ page }) => {
    await page.goto("/login");
    await page.getByLabel("Email").fill("lee@acme-dental.test");
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/portal$/);
    await fitsTheScreen(page);

    const menu = page.locator("summary", { hasText: "Menu" });
    await expect(menu).toBeVisible();
    const team = page.getByRole("link", { name: "Your team", exact: true });
    await expect(team).toBeHidden();
    await menu.click();
    for (const name of ["Dashboard", "Work history", "Tickets", "Systems", "Your team", "Summaries", "How we prioritise", "Your account"]) {
      const link = page.getByRole("navigation", { name: "Main" }).getByRole("link", { name, exact: true });
      await expect(link).toBeVisible();
      await expect(link).toBeInViewport();
    }
    await fitsTheScreen(page);
    await team.click();
    await expect(page).toHaveURL(/\/portal\/team$/);
    await expect(page.getByRole("heading", { level: 1, name: "Your team" })).toBeVisible();
    await fitsTheScreen(page);
    // The rest of the portal reads on the phone too.
    for (const path of ["/portal/work", "/portal/tickets", "/portal/tickets/4", "/portal/systems", "/portal/summaries", "/portal/account"]) {
      await page.goto(path);
      await fitsTheScreen(page);
    }
  });
});

test("an MSP admin's thirteen links fit behind the menu at 360 px", async ({ page }) => {
  await signIn(page, "morgan@limelight.test");
  await page.goto("/msp");
  await fitsTheScreen(page, false);
  await page.locator("summary", { hasText: "Menu" }).click();
  const audit = page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Audit log" });
  await expect(audit).toBeInViewport();
  await audit.click();
  await expect(page).toHaveURL(/\/msp\/audit/);
});

test("the open menu has no serious accessibility violations", async ({ page }) => {
  await signIn(page, "lee@acme-dental.test");
  await page.locator("summary", { hasText: "Menu" }).click();
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Your team" })).toBeVisible();
  const problems = (await new AxeBuilder({ page }).analyze()).violations.filter(
    (v) => v.impact === "serious" || v.impact === "critical",
  );
  expect(problems.map((v) => v.id)).toEqual([]);
});

test("on a wide screen the links are in the bar and the menu is not shown", async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await signIn(page, "priya@northwind-legal.test");
  await expect(page.locator("summary", { hasText: "Menu" })).toBeHidden();
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Your team" })).toBeVisible();
});
