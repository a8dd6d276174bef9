import { test, expect, Page } from "@playwright/test";
import { PASSWORD, signIn } from "./auth";

test("a client signs in and sees their dashboard", async ({ page }) => {
  // A hydration mismatch shows up as a console error and a page error: there must be neither.
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  await signIn(page, "dana@acme-dental.test");
  await expect(page).toHaveURL(/\/portal$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Acme Dental");
  await expect(page.getByRole("heading", { name: "Behind the scenes" })).toBeVisible();
  await expect(page.locator(".feed-item").first()).toBeVisible();
  await expect(page.getByText("Northwind Legal")).toHaveCount(0);
  // Opening an entry from the feed.
  await page.locator(".feed-item h3 a").first().click();
  await expect(page).toHaveURL(/\/portal\/work\/\d+$/);
  await expect(page.getByRole("heading", { name: "Details" })).toBeVisible();
  expect(errors).toEqual([]);
});

test("a wrong password is refused with a message", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("Email").fill("dana@acme-dental.test");
  await page.getByLabel("Password").fill("not the password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert")).toContainText("don't match an account");
  await expect(page).toHaveURL(/\/login/);
});

test("a tech signs in and sees the MSP workspace", async ({ page }) => {
  await signIn(page, "sam@limelight.test");
  await expect(page).toHaveURL(/\/msp$/);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Today");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Clients" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Clients");
  for (const name of ["Acme Dental", "Northwind Legal", "Harbor Architects"]) {
    await expect(page.getByRole("cell", { name })).toBeVisible();
  }
  // Signing out ends the session.
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login$/);
  await page.goto("/msp");
  await expect(page).toHaveURL(/\/login$/);
});

test("a client cannot open the MSP workspace", async ({ page }) => {
  await signIn(page, "lee@acme-dental.test");
  await expect(page).toHaveURL(/\/portal$/);
  const response = await page.goto("/msp");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("We couldn't find that page");
  await expect(page.getByText("Harbor Architects")).toHaveCount(0);
});

test("pages work without JavaScript", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await signIn(page, "dana@acme-dental.test");
  await expect(page).toHaveURL(/\/portal$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Acme Dental");
  await expect(page.locator(".feed-item").first()).toBeVisible();
  await context.close();
});

test("a client sees who covers while their tech is away", async ({ page }) => {
  await signIn(page, "lee@acme-dental.test");
  // Acme's primary tech is on vacation in the demo; the first backup covers.
  await expect(page.locator(".team-card .today")).toContainText("so Riley Chen is covering");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Your team" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Your team");
  await expect(page.getByRole("heading", { name: "Backup readiness" })).toBeVisible();
});
