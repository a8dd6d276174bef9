// Incidents: staff open one for two clients; both see the banner on every portal page and its
// timeline, a third client does not; resolving it ends the banner.
import { test, expect, Page } from "@playwright/test";
import { signIn } from "./auth";
import { serious } from "./checks";

// Other tests change some people's passwords and second steps: signIn knows them all.
async function clientPage(browser: import("@playwright/test").Browser, email: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signIn(page, email);
  await expect(page).toHaveURL(/\/portal$/);
  return page;
}

test("staff open an incident for two clients: both see the banner, a third does not", async ({ page, browser }) => {
  await signIn(page, "riley@limelight.test");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Incidents" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Incidents and notices");
  expect(await serious(page)).toEqual([]);
  await page.getByLabel("Title").first().fill("Printing is down across the office");
  await page.getByLabel("What clients will notice, in plain words").fill("Nothing prints; scanning still works.");
  await page.getByLabel("Where it stands").selectOption("investigating");
  await page.getByLabel("Northwind Legal").check();
  await page.getByLabel("Harbor Architects").check();
  await page.getByRole("button", { name: "Open the incident" }).click();
  await expect(page).toHaveURL(/\/msp\/incidents\/\d+$/);
  const incident = new URL(page.url()).pathname.split("/").pop();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Printing is down across the office");
  expect(await serious(page)).toEqual([]);

  for (const email of ["priya@northwind-legal.test", "ben@harbor-architects.test"]) {
    const client = await clientPage(browser, email);
    const banner = client.getByRole("region", { name: "Open incidents" });
    await expect(banner).toContainText("Printing is down across the office");
    await client.goto("/portal/tickets");
    await expect(banner).toContainText("Printing is down across the office");
    await banner.locator(`a[href="/portal/incidents/${incident}"]`).click();
    await expect(client.getByRole("heading", { level: 1 })).toHaveText("Printing is down across the office");
    await expect(client.locator(".timeline")).toContainText("Nothing prints; scanning still works.");
    expect(await serious(client)).toEqual([]);
  }
  const acme = await clientPage(browser, "lee@acme-dental.test");
  await expect(acme.getByText("Printing is down across the office")).toHaveCount(0);
  await acme.goto(`/portal/incidents/${incident}`);
  await expect(acme.getByRole("heading", { level: 1 })).not.toHaveText("Printing is down across the office");

  // Resolved: the banner goes, the incident stays in the client's history.
  await page.getByLabel("Where it stands").selectOption("resolved");
  await page.getByLabel("What is new, in plain words").fill("The print server is back; everything prints again.");
  await page.getByRole("button", { name: "Post the update" }).click();
  await expect(page.locator(".facts")).toContainText("Resolved");
  const priya = await clientPage(browser, "priya@northwind-legal.test");
  await expect(priya.getByText("Printing is down across the office")).toHaveCount(0);
  await priya.goto("/portal/incidents");
  await expect(priya.locator(".incident-list")).toContainText("Printing is down across the office");
});
