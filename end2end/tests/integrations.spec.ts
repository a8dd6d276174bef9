import { test, expect, Page } from "@playwright/test";
import { PASSWORD, signIn } from "./auth";

test("an MSP admin makes a token; a tool's night reaches the client's feed; a tech maps its machine names", async ({
  page,
  request,
}) => {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));

  await signIn(page, "morgan@limelight.test");
  await expect(page).toHaveURL(/\/msp$/);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin: integrations" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Administration: integrations");
  await page.getByLabel("Name").fill("e2e-rmm");
  await page.getByLabel("Scope").selectOption({ label: "Acme Dental" });
  await page.getByLabel("Read").check();
  await page.getByRole("button", { name: "Make the token" }).click();
  const token = (await page.locator("#new-token").textContent())!.trim();
  expect(token).toMatch(/^llt_[0-9a-f]{64}$/);
  // Listed, never shown again.
  const row = page.locator("tr", { hasText: "e2e-rmm" });
  await expect(row).toContainText("Acme Dental");
  await expect(row).toContainText("ingest, read");
  await page.reload();
  await expect(page.getByText(token)).toHaveCount(0);

  // The tool posts a night: a patch run with a second try, on machines named the RMM's way.
  const at = (h: number, m: number) => new Date(Date.UTC(2026, 10, 20, h, m)).toISOString();
  const ev = (id: string, system: string, minute: number, result: string) => ({
    source: "ninjaone",
    external_id: id,
    client: "acme-dental",
    system,
    kind: "patch",
    occurred_at: at(4, minute),
    duration_minutes: 10,
    result,
  });
  const res = await request.post("/api/v1/events", {
    headers: { Authorization: `Bearer ${token}` },
    data: { events: [ev("e1", "E2E-PC01", 0, "succeeded"), ev("e2", "E2E-PC02", 5, "failed"), ev("e3", "E2E-PC02", 40, "succeeded")] },
  });
  expect(res.status()).toBe(200);
  expect((await res.json()).created).toBe(3);

  // The client reads it in plain words, recorded automatically.
  await signIn(page, "dana@acme-dental.test");
  await page.goto("/portal/work?from=2026-11-19&to=2026-11-20");
  const item = page.locator(".feed-item", { hasText: "Patched 2 computers overnight; 1 needed a second try" });
  await expect(item).toBeVisible();
  await expect(item).toContainText("recorded automatically");

  // A tech finds the machine names on the client's page and maps one to a system.
  await signIn(page, "sam@limelight.test");
  await page.goto("/msp/clients/acme-dental#automation");
  const automation = page.locator("#automation");
  await expect(automation).toContainText("E2E-PC01");
  await automation.getByLabel("System for E2E-PC01").selectOption({ label: "Front desk workstations" });
  await automation.locator("tr", { hasText: "E2E-PC01" }).getByRole("button", { name: "Map" }).click();
  await expect(automation.locator("li", { hasText: "e2e-pc01" })).toContainText("Front desk workstations");
  await expect(automation.locator("tr", { hasText: "E2E-PC01" })).toHaveCount(0);
  expect(errors).toEqual([]);
});
