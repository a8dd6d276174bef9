// Approvals for planned work: a tech asks with two windows, the client admin follows the email's
// link, signs in, lands straight on the request and approves the second window; the tech sees
// the work scheduled then.
import { test, expect } from "@playwright/test";
import { PASSWORD, signIn } from "./auth";
import { OUTBOX, newestEmail, serious } from "./checks";

/** A day `days` ahead as a date field types it (far enough ahead for any time zone). */
function day(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

test("a tech asks with two windows; the client admin approves the second from the email", async ({ page, browser }) => {
  test.skip(!OUTBOX, "LIMELIGHT_OUTBOX is not set");
  const title = "Replace the reception PC's failing disk";
  await signIn(page, "riley@limelight.test");
  await page.goto("/msp/work/new?client=acme-dental");
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Planned", { exact: true }).check();
  await page.getByLabel("Start (the client's local time)").fill(`${day(5)}T22:00`);
  await page.getByLabel("Duration (minutes, or h:mm)").fill("45");
  await page.getByRole("button", { name: "Log the work" }).click();
  await expect(page).toHaveURL(/\/msp\/clients\/acme-dental\?saved=\d+/);
  const entry = new URL(page.url()).searchParams.get("saved");

  await page.goto(`/msp/work/${entry}`);
  const ask = page.locator("#approval");
  await ask.getByLabel("Downtime, and who will notice").fill("About an hour: the reception PC is off.");
  await ask.getByLabel("What could go wrong, in plain words").fill("Very little: we copy the old disk first.");
  await ask.getByLabel("How you would undo it").fill("We put the old disk back in.");
  await ask.getByLabel("Window 1").fill(`${day(5)}T22:00`);
  await ask.getByLabel("Window 2").fill(`${day(6)}T21:00`);
  await ask.getByRole("button", { name: "Ask for approval" }).click();
  await expect(page.locator("#approval")).toContainText("Waiting for a decision");
  expect(await serious(page)).toEqual([]);

  // Dana, the client admin, gets the email; its link asks her to sign in, then comes straight back.
  await expect.poll(() => newestEmail("dana@acme-dental.test", `Your approval, please: ${title}`)).not.toBeNull();
  const email = newestEmail("dana@acme-dental.test", `Your approval, please: ${title}`)!;
  const link = email.match(/https?:\/\/[^\s"<]+\/portal\/approvals\/\d+/)![0];
  const dana = await (await browser.newContext()).newPage();
  await dana.goto(new URL(link).pathname);
  await expect(dana).toHaveURL(/\/login\?next=/);
  await dana.getByLabel("Email", { exact: true }).fill("dana@acme-dental.test");
  await dana.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await dana.getByRole("button", { name: "Sign in" }).click();
  await expect(dana).toHaveURL(new RegExp(`${new URL(link).pathname}$`));
  await expect(dana.getByRole("heading", { level: 1 })).toHaveText(title);
  expect(await serious(dana)).toEqual([]);
  await dana.getByRole("radio").nth(1).check();
  await dana.getByRole("button", { name: "Approve this time" }).click();
  await expect(dana.getByRole("status")).toContainText("your decision is recorded");
  await expect(dana.locator(".facts")).toContainText("Approved");

  // The tech sees it scheduled at the second window.
  await page.goto(`/msp/work/${entry}`);
  await expect(page.getByLabel("Start (the client's local time)")).toHaveValue(`${day(6)}T21:00`);
  await expect(page.locator("#approval .facts")).toContainText("Approved");
  await expect.poll(() => newestEmail("riley@limelight.test", "approved it for")).not.toBeNull();
});
