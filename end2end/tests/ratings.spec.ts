// "How did we do?": staff resolve a ticket, its requester answers from the email in one click
// (no sign-in), adds a comment from the ticket's page, and the account manager sees the poor
// answer on the overview.
import { test, expect } from "@playwright/test";
import { signIn } from "./auth";
import { OUTBOX, newestEmail, serious } from "./checks";

test("a requester rates a resolved ticket from the email and the account manager sees it", async ({ page, browser }) => {
  test.skip(!OUTBOX, "LIMELIGHT_OUTBOX is not set");
  // Ben's open ticket #4 at Harbor Architects, resolved by a tech.
  await signIn(page, "jordan@limelight.test");
  await page.goto("/msp/tickets?client=harbor-architects");
  await page.getByRole("link", { name: /^#4 / }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("#4");
  await page.getByLabel("Status").selectOption("resolved");
  await page.getByRole("button", { name: "Change status" }).click();
  await expect(page.locator(".facts")).toContainText("Resolved");

  // The email carries three answers; a browser with no session clicks "Poor".
  await expect.poll(() => newestEmail("ben@harbor-architects.test", "Resolved: #4")).not.toBeNull();
  const email = newestEmail("ben@harbor-architects.test", "Resolved: #4")!;
  const poor = email.match(/https?:\/\/[^\s"]+\/rate\/[0-9a-f]{64}\/poor/)![0];
  const ben = await (await browser.newContext()).newPage();
  await ben.goto(new URL(poor).pathname);
  await expect(ben).toHaveURL(/\/rated\?ticket=4&answer=poor$/);
  await expect(ben.getByRole("heading", { level: 1 })).toHaveText("Thank you");
  expect(await serious(ben)).toEqual([]);

  // A second click on the same email records nothing more.
  const good = email.match(/\/rate\/[0-9a-f]{64}\/good/)![0];
  await ben.goto(good);
  await expect(ben.getByRole("heading", { level: 1 })).toHaveText("This link can't be used");

  // Signed in, Ben adds a comment from the ticket's page.
  await signIn(ben, "ben@harbor-architects.test");
  await ben.goto("/portal/tickets/4#rating");
  const box = ben.locator("#rating");
  await expect(box).toContainText("Poor");
  await expect(box.getByLabel("Poor")).toBeChecked();
  await box.getByLabel("Anything to add? (optional)").fill("The drive still drops every hour from home.");
  await box.getByRole("button", { name: "Save my answer" }).click();
  await expect(box.locator(".body")).toHaveText("The drive still drops every hour from home.");
  expect(await serious(ben)).toEqual([]);

  // The account manager was emailed, and sees it on the overview.
  await expect.poll(() => newestEmail("alex@limelight.test", "Poor rating from Harbor Architects")).not.toBeNull();
  const alex = await (await browser.newContext()).newPage();
  await signIn(alex, "alex@limelight.test");
  await alex.goto("/msp");
  const board = alex.getByRole("region", { name: "How clients rated us" });
  await expect(board).toContainText("Harbor Architects");
  const latest = board.locator(".poor-ratings li", { hasText: "#4 " }).filter({ hasText: "Harbor Architects" });
  await expect(latest).toContainText("The drive still drops every hour from home.");
  await latest.getByRole("link").click();
  await expect(alex.locator(".facts")).toContainText("Poor");
});
