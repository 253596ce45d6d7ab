// Single sign-on against a real OIDC provider (e2e/fixtures/oidc-idp.ts): a known user signs in
// and lands in the console; an unknown one is refused with a clear message.
import { expect, test } from "@playwright/test";

// The IdP's port, as playwright.config.ts starts it (E2E_OIDC_PORT moves it off the default).
const idpPort = String(Number(process.env.E2E_OIDC_PORT ?? 8796));
const idpPage = new RegExp(`localhost:${idpPort}/interaction/`);

test("a user signs in with the OIDC provider", async ({ page }) => {
  await page.goto("/sign-in");
  await page.getByRole("button", { name: /Test IdP/ }).click();
  // The console's own sign-in form also has an Email field: wait until the IdP's page is shown.
  await page.waitForURL(idpPage);
  await page.getByLabel("Email").fill("dev@acme.example");
  await page.getByRole("button", { name: "Continue" }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/sign-in") && url.port !== idpPort);
  const me = await page.request.get("/api/common/v1/me");
  expect(me.status()).toBe(200);
  expect(((await me.json()) as { email: string }).email).toBe("dev@acme.example");
});

test("an account the console does not know is refused", async ({ page }) => {
  await page.goto("/sign-in");
  await page.getByRole("button", { name: /Test IdP/ }).click();
  // The console's own sign-in form also has an Email field: wait until the IdP's page is shown.
  await page.waitForURL(idpPage);
  await page.getByLabel("Email").fill("stranger@nowhere.example");
  await page.getByRole("button", { name: "Continue" }).click();
  await page.waitForURL(/\/sign-in/);
  await expect(page.getByRole("alert").filter({ hasText: /no active Cirrus account/ })).toContainText(
    /invite/i,
  );
  const me = await page.request.get("/api/common/v1/me");
  expect(me.status()).toBe(401);
});
