import { test, expect, Page } from "@playwright/test";
import { PASSWORD, signIn } from "./auth";
import * as fs from "fs";
import * as path from "path";

const OUTBOX = process.env.LIMELIGHT_OUTBOX ?? "";

function newestMail(): string {
  const files = fs.existsSync(OUTBOX) ? fs.readdirSync(OUTBOX).filter((f) => f.endsWith(".eml")).sort() : [];
  if (files.length === 0) return "";
  return fs.readFileSync(path.join(OUTBOX, files[files.length - 1]), "utf8").replace(/=\r?\n/g, "");
}

test("an account manager drafts, edits, previews and sends a summary; the client reads it", async ({ page }) => {
  test.skip(!OUTBOX, "LIMELIGHT_OUTBOX is not set");
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await signIn(page, "alex@limelight.test");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Summaries" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Thank-you summaries");
  // Two months ago: last month's was sent by the demo already.
  const d = new Date();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() - 2);
  const month = d.toISOString().slice(0, 7);
  await page.getByLabel("Client").selectOption({ label: "Acme Dental" });
  await page.getByLabel("Month (empty: last month)").fill(month);
  await page.getByRole("button", { name: "Draft it" }).click();
  await expect(page).toHaveURL(/\/msp\/summaries\/\d+/);

  await page.getByLabel("Subject").fill("Thank you, Acme: a calm season");
  await page.getByLabel("Your note to the client").fill("It was a pleasure looking after your practice.");
  await page.getByRole("button", { name: "Save the draft" }).click();
  // The preview shows the page as the client will see it, and the email.
  await expect(page.locator(".preview-page")).toContainText("It was a pleasure looking after your practice.");
  await expect(page.locator(".preview-frame.email")).toContainText("What we did for Acme Dental");
  await page.getByRole("button", { name: "Send to the chosen recipients" }).click();
  await expect(page.getByRole("heading", { name: "Delivery" })).toBeVisible();
  await expect(page.locator("table", { hasText: "dana@acme-dental.test" })).toContainText("sent");
  expect(newestMail()).toContain("To: dana@acme-dental.test");

  await signIn(page, "dana@acme-dental.test");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Summaries" }).click();
  await page.getByRole("link", { name: "Thank you, Acme: a calm season" }).click();
  await expect(page.locator(".note-from")).toContainText("It was a pleasure looking after your practice.");
  expect(errors).toEqual([]);
});

test("someone who forgot their password gets a link and chooses a new one", async ({ page }) => {
  test.skip(!OUTBOX, "LIMELIGHT_OUTBOX is not set");
  await page.context().clearCookies();
  await page.goto("/login");
  await page.getByText("Forgot your password?").click();
  await page.getByLabel("The address you sign in with").fill("lee@acme-dental.test");
  await page.getByRole("button", { name: "Email me a link" }).click();
  await expect(page.getByRole("status")).toContainText("If that email belongs to an account");
  // The request only queues the email; the server's mail worker, woken by it, writes it.
  await expect.poll(() => newestMail().match(/\/reset\/[0-9a-f]+/)).not.toBeNull();
  const link = newestMail().match(/\/reset\/[0-9a-f]+/);
  await page.goto(link![0]);
  await page.getByLabel("New password (at least 8 characters)").fill("a fresh spring morning");
  await page.getByLabel("New password, again").fill("a fresh spring morning");
  await page.getByRole("button", { name: "Set the password and sign in" }).click();
  await expect(page).toHaveURL(/\/portal$/);
  await signIn(page, "lee@acme-dental.test", "a fresh spring morning");
  await expect(page).toHaveURL(/\/portal$/);
});
