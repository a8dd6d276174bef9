import { test, expect, Page } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import { currentStep, enterCode, setUpAuthenticator, signIn, totp } from "./auth";
import * as fs from "fs";
import * as path from "path";

const OUTBOX = process.env.LIMELIGHT_OUTBOX ?? "";

/** Serious or critical accessibility problems on the page as it is. */
async function serious(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${page.url()}: ${v.id}: ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`);
}

/** The invitation link in the newest message of the outbox, once the mail worker has written it. */
function latestInvitationLink(): string | null {
  const files = fs.existsSync(OUTBOX) ? fs.readdirSync(OUTBOX).filter((f) => f.endsWith(".eml")).sort() : [];
  for (const f of files.reverse()) {
    const eml = fs.readFileSync(path.join(OUTBOX, f), "utf8").replace(/=\r?\n/g, "");
    const match = eml.match(/\/invite\/[0-9a-f]+/);
    if (eml.includes("casey@limelight.test") && match) return match[0];
  }
  return null;
}

test("a new tech sets up two-step sign-in from the key on the screen, then signs in with a code", async ({
  page,
  browser,
}) => {
  test.skip(!OUTBOX, "LIMELIGHT_OUTBOX is not set");
  await signIn(page, "morgan@limelight.test");
  await page.goto("/msp/admin/users");
  const invite = page.getByRole("region", { name: "Invite someone" });
  await invite.getByLabel("Email").fill("casey@limelight.test");
  // The first choice is the role (the second, the client).
  await invite.getByRole("combobox").first().selectOption("tech");
  await invite.getByRole("button", { name: "Send the invitation" }).click();
  await expect.poll(latestInvitationLink).not.toBeNull();

  const casey = await browser.newContext();
  const p = await casey.newPage();
  const errors: string[] = [];
  p.on("pageerror", (e) => errors.push(e.message));
  await p.goto(latestInvitationLink()!);
  await p.getByLabel("Your name").fill("Casey Morgan");
  await p.getByLabel("Password (at least 8 characters)").fill("lighthouse keeper at dusk");
  await p.getByLabel("Password, again").fill("lighthouse keeper at dusk");
  await p.getByRole("button", { name: "Create my account" }).click();
  // The invitation stands for the password: a tech sets up the second step before anything else.
  await expect(p).toHaveURL(/\/login\/setup$/);
  await p.goto("/msp");
  await expect(p).toHaveURL(/\/login$/);
  await p.goBack();
  await expect(p).toHaveURL(/\/login\/setup$/);
  const key = (await p.locator("#two-step-key").innerText()).trim();
  // A wrong code is refused in words.
  const wrong = ["111111", "222222", "333333"].find((c) => ![-1, 0, 1].some((d) => totp(key, currentStep() + d) === c))!;
  await p.getByLabel("The six-digit code the app now shows").fill(wrong);
  await p.getByRole("button", { name: "Turn on two-step sign-in" }).click();
  await expect(p.getByRole("alert")).toContainText("That code is not right");
  // The code an authenticator app would show for the key on the screen.
  await setUpAuthenticator(p, "casey@limelight.test");
  await expect(p).toHaveURL(/\/msp$/);
  await expect(p.getByRole("heading", { level: 1 })).toContainText("Today");

  // Next time: the password, then a code.
  await p.getByRole("button", { name: "Sign out" }).click();
  await expect(p).toHaveURL(/\/login$/);
  await p.getByLabel("Email", { exact: true }).fill("casey@limelight.test");
  await p.getByLabel("Password", { exact: true }).fill("lighthouse keeper at dusk");
  await p.getByRole("button", { name: "Sign in" }).click();
  await expect(p).toHaveURL(/\/login\/code$/);
  expect(await serious(p)).toEqual([]);
  await enterCode(p, "casey@limelight.test");
  await expect(p).toHaveURL(/\/msp$/);
  expect(errors).toEqual([]);
  await casey.close();
});

test("a client admin whose client requires two-step sign-in is sent to set it up", async ({ page, browser }) => {
  await signIn(page, "morgan@limelight.test");
  await page.goto("/msp/admin/clients");
  const harbor = page.getByRole("region", { name: "Harbor Architects" });
  await harbor.getByRole("button", { name: "Require two-step sign-in" }).click();
  await expect(harbor).toContainText("Everyone here signs in with two steps.");

  const maya = await (await browser.newContext()).newPage();
  await maya.goto("/login");
  await maya.getByLabel("Email", { exact: true }).fill("maya@harbor-architects.test");
  await maya.getByLabel("Password", { exact: true }).fill(process.env.LIMELIGHT_DEMO_PASSWORD ?? "limelight-demo");
  await maya.getByRole("button", { name: "Sign in" }).click();
  await expect(maya).toHaveURL(/\/login\/setup$/);
  expect(await serious(maya)).toEqual([]);
  await setUpAuthenticator(maya, "maya@harbor-architects.test");
  await expect(maya).toHaveURL(/\/portal$/);
  await expect(maya.getByRole("heading", { level: 1 })).toHaveText("Harbor Architects");
  // Her account page says it stays on.
  await maya.goto("/portal/account");
  await expect(maya.locator("#two-step")).toContainText("It is required for your account, so it stays on.");
});
