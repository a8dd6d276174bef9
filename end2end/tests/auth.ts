// Signing in as people do, second step included. Staff (and clients whose MSP requires it) set up
// an authenticator at their first sign-in: this helper reads the key the setup page shows,
// computes the codes an authenticator app would (RFC 6238, SHA-1, six digits, 30 s), and keeps
// each person's key and recovery codes beside the run's outbox, so later tests sign in with codes.
import { Page, expect } from "@playwright/test";
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";

export const PASSWORD = process.env.LIMELIGHT_DEMO_PASSWORD ?? "limelight-demo";

type Authenticator = { secret: string; recoveryCodes: string[]; lastStep: number };

const STATE = process.env.LIMELIGHT_OUTBOX
  ? path.join(path.dirname(process.env.LIMELIGHT_OUTBOX), "e2e-authenticators.json")
  : path.join(process.cwd(), "test-results", "e2e-authenticators.json");

function load(): Record<string, Authenticator> {
  return fs.existsSync(STATE) ? JSON.parse(fs.readFileSync(STATE, "utf8")) : {};
}

function save(email: string, a: Authenticator) {
  const all = load();
  all[email] = a;
  fs.mkdirSync(path.dirname(STATE), { recursive: true });
  fs.writeFileSync(STATE, JSON.stringify(all));
}

function base32(text: string): Buffer {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = "";
  for (const ch of text.replace(/[\s=]/g, "").toUpperCase()) {
    const v = alphabet.indexOf(ch);
    if (v < 0) throw new Error(`not base32: ${ch}`);
    bits += v.toString(2).padStart(5, "0");
  }
  const bytes = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}

/** The code an authenticator app shows for this key in this 30-second step. */
export function totp(secret: string, step: number): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = crypto.createHmac("sha1", base32(secret)).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const value = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return value.toString().padStart(6, "0");
}

export function currentStep(): number {
  return Math.floor(Date.now() / 1000 / 30);
}

/** A code the server has not taken yet: now's, or the next step's (one step of drift is
 * allowed), else a recovery code. */
function nextCode(email: string): string {
  const a = load()[email];
  if (!a) throw new Error(`no authenticator was set up for ${email}`);
  const now = currentStep();
  const step = Math.max(now, a.lastStep + 1);
  if (step > now + 1) {
    const code = a.recoveryCodes.pop()!;
    save(email, a);
    return code;
  }
  a.lastStep = step;
  save(email, a);
  return totp(a.secret, step);
}

/** On the setup page: adds the authenticator as a person would, keeps the recovery codes, and
 * continues. */
export async function setUpAuthenticator(page: Page, email: string) {
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Set up two-step sign-in");
  await expect(page.getByRole("img", { name: "QR code for your authenticator app" })).toBeVisible();
  const secret = (await page.locator("#two-step-key").innerText()).trim();
  const step = currentStep();
  await page.getByLabel("The six-digit code the app now shows").fill(totp(secret, step));
  await page.getByRole("button", { name: "Turn on two-step sign-in" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Keep your recovery codes");
  const recoveryCodes = (await page.locator("#recovery-codes li").allInnerTexts()).map((c) => c.trim());
  expect(recoveryCodes).toHaveLength(10);
  save(email, { secret, recoveryCodes, lastStep: step });
  await page.getByRole("button", { name: "I have kept them: continue" }).click();
}

/** On the code page: types the next code. */
export async function enterCode(page: Page, email: string) {
  await page.getByLabel("Code", { exact: true }).fill(nextCode(email));
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** Signs in with the password, then the second step where there is one, and waits to arrive. */
export async function signIn(page: Page, email: string, password = PASSWORD) {
  await page.context().clearCookies();
  await page.goto("/login");
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(/\/(portal|msp|login\/setup|login\/code)(\?|$)/);
  const at = new URL(page.url()).pathname;
  if (at === "/login/setup") await setUpAuthenticator(page, email);
  if (at === "/login/code") await enterCode(page, email);
  await page.waitForURL(/\/(portal|msp)(\?|$)/);
}
