import { test, expect } from "@playwright/test";
import * as fs from "fs";
import * as path from "path";

const PASSWORD = process.env.LIMELIGHT_DEMO_PASSWORD ?? "limelight-demo";
const OUTBOX = process.env.LIMELIGHT_OUTBOX ?? "";

/** The invitation link in the newest message of the outbox (quoted-printable soft breaks undone),
 * if one is there yet: the request only queues the email, the server's mail worker writes it. */
function latestInvitationLink(): string | null {
  const files = fs.existsSync(OUTBOX) ? fs.readdirSync(OUTBOX).filter((f) => f.endsWith(".eml")).sort() : [];
  if (files.length === 0) return null;
  const eml = fs.readFileSync(path.join(OUTBOX, files[files.length - 1]), "utf8").replace(/=\r?\n/g, "");
  const match = eml.match(/\/invite\/[0-9a-f]+/);
  return match ? match[0] : null;
}

test("a client admin invites a colleague who sets a password and signs in", async ({ page, browser }) => {
  test.skip(!OUTBOX, "LIMELIGHT_OUTBOX is not set");
  await page.goto("/login");
  await page.getByLabel("Email").fill("priya@northwind-legal.test");
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "People" }).click();
  await page.getByLabel("Their email").fill("sam.newcomer@northwind-legal.test");
  await page.getByRole("button", { name: "Send invitation" }).click();
  await expect(page.getByRole("status")).toContainText("Invitation sent");

  // The worker is woken by the queued email and writes it to the outbox.
  await expect.poll(latestInvitationLink).not.toBeNull();
  const link = latestInvitationLink()!;
  const invitee = await browser.newContext();
  const p = await invitee.newPage();
  await p.goto(link);
  await expect(p.getByRole("heading", { level: 1 })).toHaveText("Welcome to Northwind Legal's portal");
  p.on("dialog", (d) => {
    throw new Error(`a dialog opened: ${d.message()}`);
  });
  await p.getByLabel("Your name").fill("Sam <img src=x onerror=alert(4)> Newcomer");
  await p.getByLabel("Password (at least 8 characters)").fill("window seat on a train");
  await p.getByLabel("Password, again").fill("window seat on a train");
  await p.getByRole("button", { name: "Create my account" }).click();
  await expect(p).toHaveURL(/\/portal$/);
  await expect(p.getByRole("heading", { level: 1 })).toHaveText("Northwind Legal");
  // The name typed is shown as text.
  await expect(p.locator(".top-bar .who")).toHaveText("Sam <img src=x onerror=alert(4)> Newcomer");

  // The link works once.
  const again = await (await browser.newContext()).newPage();
  await again.goto(link);
  await expect(again.getByRole("heading", { level: 1 })).toHaveText("This link no longer works");
  await invitee.close();
});
