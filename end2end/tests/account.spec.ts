import { test, expect } from "@playwright/test";

const PASSWORD = process.env.LIMELIGHT_DEMO_PASSWORD ?? "limelight-demo";

test("a client changes their password and signs in with the new one", async ({ page }) => {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  // An account no other test signs in with.
  await page.goto("/login");
  await page.getByLabel("Email").fill("tom@northwind-legal.test");
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("link", { name: "Your account" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Your account");
  await expect(page.getByText("This device")).toBeVisible();

  // A mismatch is refused in place.
  await page.getByLabel("Current password").fill(PASSWORD);
  await page.getByLabel("New password (at least 8 characters)").fill("a quiet walk by the river");
  await page.getByLabel("New password, again").fill("something else");
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByRole("alert")).toContainText("not the same");

  await page.getByLabel("New password, again").fill("a quiet walk by the river");
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByRole("status")).toContainText("Your password is changed");

  await page.getByRole("button", { name: "Sign out" }).first().click();
  await expect(page).toHaveURL(/\/login$/);
  await page.getByLabel("Email").fill("tom@northwind-legal.test");
  await page.getByLabel("Password").fill("a quiet walk by the river");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/portal$/);
  expect(errors).toEqual([]);
});
