import { test, expect } from "@playwright/test";

const PASSWORD = process.env.LIMELIGHT_DEMO_PASSWORD ?? "limelight-demo";

test("a client opens a ticket, finds it listed and replies to it", async ({ page }) => {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto("/login");
  await page.getByLabel("Email").fill("maya@harbor-architects.test");
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Tickets" }).click();
  await page.getByRole("link", { name: "Open a ticket" }).click();

  await page.getByLabel("Subject").fill("The plotter <script>alert(1)</script> is offline");
  page.on("dialog", (d) => {
    errors.push(`a dialog opened: ${d.message()}`);
    d.dismiss();
  });
  await page.getByLabel("What is happening?").fill("It shows an error light <img src=x onerror=alert(2)> since this morning.");
  await page.getByLabel("Who is affected?").selectOption("department");
  await page.getByLabel("How badly is work affected?").selectOption("work_stopped");
  // The priority is shown before sending.
  await expect(page.locator(".preview")).toContainText("This will be P2");
  await page.getByRole("button", { name: "Open the ticket" }).click();

  await expect(page).toHaveURL(/\/portal\/tickets\/\d+$/);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("The plotter <script>alert(1)</script> is offline");
  await expect(page.locator(".description")).toContainText("<img src=x onerror=alert(2)>");
  await page.getByLabel("Add a reply").fill("It is the big one in the studio. <svg onload=alert(3)>");
  await page.getByRole("button", { name: "Send reply" }).click();
  await expect(page.locator(".thread")).toContainText("It is the big one in the studio. <svg onload=alert(3)>");

  await page.getByRole("link", { name: "← All tickets" }).click();
  await expect(page.locator(".ticket").first()).toContainText("The plotter");
  expect(errors).toEqual([]);
});
