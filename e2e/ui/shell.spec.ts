// The console shell through a real browser: sign-in page (wrong password, success), switching
// organisation and project, dark mode (kept after reload and saved server-side), the ⌘K palette,
// and sign-out.
import { expect, test, type Page } from "@playwright/test";
import { DEMO_PASSWORD } from "../fixtures/api";

async function signInThroughPage(page: Page, email: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

test("a wrong password says so and keeps the user on the sign-in page", async ({ page }) => {
  await signInThroughPage(page, "admin@acme.example", "not-the-password");
  await expect(page.getByTestId("sign-in-error")).toHaveText("Wrong email or password.");
  await expect(page).toHaveURL(/\/sign-in/);
  const me = await page.request.get("/api/common/v1/me");
  expect(me.status()).toBe(401);
});

test("the console needs a session", async ({ page }) => {
  await page.goto("/acme");
  await expect(page).toHaveURL(/\/sign-in/);
});

test("sign in, switch scope, dark mode, palette, sign out", async ({ page }) => {
  // A long journey through several pages: give it room on a busy machine.
  test.setTimeout(180_000);
  // The operator sees every organisation: Acme Corp first by name.
  await signInThroughPage(page, "ops@cirrus.example");
  await expect(page).toHaveURL(/\/acme$/);
  await expect(page.getByRole("heading", { level: 1, name: "Acme Corp" })).toBeVisible();

  // Organisation, then project, through the switcher.
  await page.getByTestId("scope-switcher").click();
  await page.getByRole("button", { name: "Globex" }).click();
  await expect(page).toHaveURL(/\/globex$/);
  await expect(page.getByRole("heading", { level: 1, name: "Globex" })).toBeVisible();
  await page.getByTestId("scope-switcher").click();
  await page.getByRole("button", { name: /^web web$/ }).click();
  await expect(page).toHaveURL(/\/acme\/web$/);
  await expect(page.getByRole("heading", { level: 1, name: "web" })).toBeVisible();
  await expect(page.getByTestId("scope-switcher")).toContainText("Acme Corp");

  // Dark mode: applied at once, kept across a reload, and saved in the user's preferences.
  await expect(page.locator("html")).not.toHaveClass(/dark/);
  await page.getByTestId("user-menu").click();
  await page.getByTestId("theme-dark").click();
  await expect(page.locator("html")).toHaveClass(/dark/);
  await expect
    .poll(
      async () =>
        ((await (await page.request.get("/api/common/v1/me/preferences")).json()) as { theme: string }).theme,
    )
    .toBe("dark");
  await page.reload();
  await expect(page.locator("html")).toHaveClass(/dark/);
  await page.getByTestId("user-menu").click();
  await page.getByTestId("theme-light").click();
  await expect(page.locator("html")).not.toHaveClass(/dark/);

  // ⌘K (Ctrl+K here): find a page by a word of it and open it with Enter.
  await page.keyboard.press("Control+k");
  const input = page.getByTestId("palette-input");
  await expect(input).toBeFocused();
  await input.fill("activity");
  await expect(page.getByRole("option", { name: /Activity log/ })).toBeVisible();
  await input.press("Enter");
  await expect(page).toHaveURL(/\/acme\/activity$/);

  // Projects are in the palette too.
  await page.keyboard.press("Control+k");
  await page.getByTestId("palette-input").fill("data");
  await page.getByRole("option", { name: /^data/ }).click();
  await expect(page).toHaveURL(/\/acme\/data$/);

  // Sign out: back to the sign-in page, and the console is closed again.
  await page.getByTestId("user-menu").click();
  await page.getByTestId("sign-out").click();
  await expect(page).toHaveURL(/\/sign-in/);
  await page.goto("/acme");
  await expect(page).toHaveURL(/\/sign-in/);
  expect((await page.request.get("/api/common/v1/me")).status()).toBe(401);
});

test("a project member sees only what they may use", async ({ page }) => {
  await signInThroughPage(page, "dev@acme.example");
  await expect(page).toHaveURL(/\/acme$/);
  const nav = page.getByRole("navigation", { name: "Console" });
  await expect(nav.getByText("Compute")).toBeVisible(); // coming soon, not a link
  await expect(nav.getByRole("link", { name: "Compute" })).toHaveCount(0);
  await expect(nav.getByRole("link", { name: "Users" })).toHaveCount(0);
  await expect(nav.getByText("Organisations")).toHaveCount(0);
  await page.getByTestId("scope-switcher").click();
  await expect(page.getByRole("button", { name: /^data/ })).toHaveCount(0);
});
