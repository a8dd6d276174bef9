// What several tests read: the outbox's newest email to someone, and axe's serious findings.
import { Page } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import * as fs from "fs";
import * as path from "path";

export const OUTBOX = process.env.LIMELIGHT_OUTBOX ?? "";

/** The body (quoted-printable soft breaks undone) of the newest email to `to` whose text has `marker`. */
export function newestEmail(to: string, marker: string): string | null {
  const files = fs.existsSync(OUTBOX) ? fs.readdirSync(OUTBOX).filter((f) => f.endsWith(".eml")).sort() : [];
  for (const f of files.reverse()) {
    const eml = fs.readFileSync(path.join(OUTBOX, f), "utf8").replace(/=\r?\n/g, "");
    if (eml.includes(`To: ${to}`) && eml.includes(marker)) return eml;
  }
  return null;
}

/** The ids of axe's serious and critical violations on the page as it is now. */
export async function serious(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id);
}
