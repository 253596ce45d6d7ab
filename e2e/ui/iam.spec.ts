// IAM in the browser: invite a user and accept the link, assign and remove a role in Manage Role,
// build a custom role in the permission matrix, suspend a user (their next API call is refused),
// create an API token that is shown once.
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { bearer, tokenFor } from "../fixtures/api";
import { signIn } from "../fixtures/session";

const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const PASSWORD = "ui e2e password 1234";

/** A fresh member of acme (invited and accepted over the API), with an API token of theirs. */
async function member(
  request: APIRequestContext,
  role = "project-member",
  project: string | undefined = "web",
) {
  const admin = bearer(await tokenFor(request, "admin@acme.example"));
  const email = `ui-${unique()}@acme.example`;
  const res = await request.post("/api/tenant/v1/organizations/acme/users", {
    headers: admin,
    data: { email, name: `UI ${email.slice(3, 9)}`, role, project },
  });
  expect(res.status(), await res.text()).toBe(201);
  const body = (await res.json()) as { user: { id: string }; invitation: { url: string } };
  const token = new URL(body.invitation.url, "http://x").searchParams.get("token")!;
  const ok = await request.post("/api/common/v1/invitations/accept", { data: { token, password: PASSWORD } });
  expect(ok.status(), await ok.text()).toBe(200);
  return { id: body.user.id, email, apiToken: await tokenFor(request, email, PASSWORD) };
}

class UsersPage {
  constructor(private readonly page: Page) {}
  async open() {
    await this.page.goto("/acme/iam/users");
    await expect(this.page.getByRole("heading", { name: "Users", level: 1 })).toBeVisible();
  }
  async invite(email: string, name: string, roleKey: string, projectLabel: RegExp) {
    await this.page.getByRole("button", { name: "Invite user" }).first().click();
    const dialog = this.page.getByRole("dialog", { name: "Invite a user" });
    await dialog.getByLabel("Email").fill(email);
    await dialog.getByLabel("Name").fill(name);
    const scope = dialog.getByLabel("Scope of the initial role");
    await scope.selectOption({ index: await this.optionIndex(scope, projectLabel) });
    await dialog.getByTestId(`role-option-${roleKey}`).check();
    await dialog.getByRole("button", { name: "Invite", exact: true }).click();
    const result = this.page.getByTestId("invite-result");
    await expect(result).toBeVisible();
    return (await result.getByLabel("Invitation link").inputValue()).trim();
  }
  private async optionIndex(select: ReturnType<Page["getByLabel"]>, label: RegExp): Promise<number> {
    const options = await select.locator("option").allTextContents();
    const i = options.findIndex((o) => label.test(o));
    expect(i, `option ${label} in ${options.join(", ")}`).toBeGreaterThanOrEqual(0);
    return i;
  }
}

class ManageRolePage {
  constructor(private readonly page: Page) {}
  async open(userId: string) {
    await this.page.goto(`/acme/iam/users/${userId}`);
    await expect(this.page.getByRole("heading", { name: "Role assignments" })).toBeVisible();
  }
  assignment(roleKey: string) {
    return this.page.getByTestId(`assignment-${roleKey}`);
  }
  async assign(roleKey: string, scope: "Organisation (all projects)" | RegExp) {
    const select = this.page.getByTestId("assign-scope");
    if (typeof scope === "string") await select.selectOption({ label: scope });
    else {
      const options = await select.locator("option").allTextContents();
      await select.selectOption({ index: options.findIndex((o) => scope.test(o)) });
    }
    await this.page.getByPlaceholder("Search system and custom roles").fill(roleKey);
    await this.page.getByTestId(`role-option-${roleKey}`).check();
    await this.page.getByRole("button", { name: "Assign role" }).click();
  }
  async remove(roleKey: string) {
    await this.assignment(roleKey)
      .getByRole("button", { name: /^Remove/ })
      .click();
    await this.page.getByRole("dialog").getByRole("button", { name: "Remove assignment" }).click();
  }
}

test.describe("IAM in the console", () => {
  test("an admin invites a user, who accepts the link and lands in the organisation", async ({
    page,
    browser,
  }) => {
    await signIn(page, "admin@acme.example");
    const users = new UsersPage(page);
    await users.open();
    const email = `ui-invite-${unique()}@acme.example`;
    const link = await users.invite(email, "Una Invitee", "project-member", /Project web/);
    expect(link).toMatch(/\/sign-in\/accept\?token=/);
    await page.getByRole("button", { name: "Done" }).click();
    await expect(page.getByText(email)).toBeVisible();

    const invitee = await (await browser.newContext()).newPage();
    await invitee.goto(link);
    await expect(invitee.getByRole("heading", { name: "Join Acme Corp on Cirrus" })).toBeVisible();
    await invitee.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await invitee.getByLabel("Repeat the password").fill(PASSWORD);
    await invitee.getByRole("button", { name: "Set password and sign in" }).click();
    await invitee.waitForURL(/\/acme(\/|$)/);
    await invitee.close();
  });

  test("Manage Role assigns a role with its scope and removes it", async ({ page, request }) => {
    const m = await member(request);
    await signIn(page, "admin@acme.example");
    const manage = new ManageRolePage(page);
    await manage.open(m.id);
    await expect(manage.assignment("project-member")).toContainText("Project web");

    await manage.assign("org-reader", "Organisation (all projects)");
    await expect(manage.assignment("org-reader")).toContainText("Organisation");
    // It applies on their next request: they can now list the organisation's users.
    const asMember = await request.get("/api/tenant/v1/organizations/acme/users", {
      headers: bearer(m.apiToken),
    });
    expect(asMember.status()).toBe(200);

    await manage.assign("project-reader", /Project data/);
    await expect(manage.assignment("project-reader")).toContainText("Project data");

    await manage.remove("org-reader");
    await expect(manage.assignment("org-reader")).toHaveCount(0);
    const after = await request.get("/api/tenant/v1/organizations/acme/users", {
      headers: bearer(m.apiToken),
    });
    expect(after.status()).toBe(403);
  });

  test("a custom role is built in the permission matrix", async ({ page }) => {
    await signIn(page, "admin@acme.example");
    await page.goto("/acme/iam/roles/new");
    const name = `UI operator ${unique()}`;
    await page.getByLabel("Name").fill(name);
    // With only the project scope, organisation-only permissions are locked.
    await expect(page.getByTestId("perm-iam.user.list")).toBeDisabled();
    await page.getByLabel("All compute.instance permissions").check();
    await page.getByTestId("perm-compute.image.list").check();
    await expect(page.getByTestId("matrix-count")).toContainText("7 of");
    await page.getByTestId("perm-compute.instance.delete").uncheck();
    await expect(page.getByTestId("matrix-count")).toContainText("6 of");
    await page.getByRole("button", { name: "Create role" }).click();
    await page.waitForURL(/\/acme\/iam\/roles\/[0-9a-f-]{36}$/);
    await expect(page.getByRole("heading", { name, level: 1 })).toBeVisible();
    await expect(page.getByTestId("perm-compute.instance.create")).toBeChecked();
    await expect(page.getByTestId("perm-compute.instance.delete")).not.toBeChecked();

    await page.goto("/acme/iam/roles");
    await expect(page.getByText(name)).toBeVisible();
  });

  test("suspending a user refuses their next API call", async ({ page, request }) => {
    const m = await member(request);
    expect((await request.get("/api/common/v1/me", { headers: bearer(m.apiToken) })).status()).toBe(200);
    await signIn(page, "admin@acme.example");
    const manage = new ManageRolePage(page);
    await manage.open(m.id);
    await page.getByRole("button", { name: "Suspend" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Suspend" }).click();
    await expect(page.getByText("cannot sign in and their API tokens are refused")).toBeVisible();
    const refused = await request.get("/api/common/v1/me", { headers: bearer(m.apiToken) });
    expect(refused.status()).toBe(401);
    expect(((await refused.json()) as { detail: string }).detail).toBe(
      "The API token is invalid, expired or revoked",
    );

    await page.getByRole("button", { name: "Reactivate" }).click();
    await expect(page.getByRole("button", { name: "Suspend" })).toBeVisible();
    expect((await request.get("/api/common/v1/me", { headers: bearer(m.apiToken) })).status()).toBe(200);
  });

  test("an API token is shown once, then only its prefix", async ({ page, request }) => {
    await signIn(page, "dev@acme.example");
    await page.goto("/settings/tokens");
    await page.getByRole("button", { name: "Create token" }).first().click();
    const name = `ui token ${unique()}`;
    const dialog = page.getByRole("dialog", { name: "Create API token" });
    await dialog.getByLabel("Name").fill(name);
    await dialog.getByLabel("Expires after").selectOption("7");
    await dialog.getByRole("button", { name: "Create token" }).click();
    const created = page.getByTestId("token-created");
    await expect(created).toContainText("it will not be shown again");
    const secret = await created.getByLabel("API token").inputValue();
    expect(secret).toMatch(/^cirrus_/);
    expect((await request.get("/api/common/v1/me", { headers: bearer(secret) })).status()).toBe(200);
    await page.getByRole("button", { name: "I have stored it" }).click();

    const row = page.getByRole("row", { name: new RegExp(name) });
    await expect(row).toContainText(secret.slice(0, 13));
    expect(await page.content()).not.toContain(secret);

    await row.getByRole("button", { name: `Revoke ${name}` }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Revoke" }).click();
    await expect(page.getByRole("row", { name: new RegExp(name) })).toHaveCount(0);
    expect((await request.get("/api/common/v1/me", { headers: bearer(secret) })).status()).toBe(401);
  });

  test("a project is created (following its job), renamed, and deleted after typing its slug", async ({
    page,
  }) => {
    await signIn(page, "admin@acme.example");
    await page.goto("/acme/projects");
    await page.getByRole("button", { name: "Create project" }).first().click();
    const dialog = page.getByRole("dialog", { name: "Create project" });
    const slug = `ui-${unique()}`;
    await dialog.getByLabel("Name").fill("Settings");
    await expect(dialog.getByText("settings is reserved by the console")).toBeVisible();
    await dialog.getByLabel("Name").fill(`UI project ${slug}`);
    await dialog.getByLabel("Slug").fill(slug);
    await dialog.getByRole("button", { name: "Create project" }).click();
    await expect(page.getByTestId("project-provisioning")).toContainText("Provisioning job");
    await page.getByRole("button", { name: "Close" }).last().click();

    const row = page.getByRole("row", { name: new RegExp(slug) });
    await expect(row).toBeVisible();
    // The list refreshes every 5 s while other specs create projects; a menu opened at that
    // moment was once seen closing again (not pinned down): open it until it stays.
    const openMenu = async (item: string) =>
      expect(async () => {
        await row.getByRole("button", { name: `Actions for ${slug}` }).click();
        await expect(page.getByRole("menuitem", { name: item })).toBeVisible({ timeout: 2_000 });
      }).toPass({ timeout: 20_000 });
    await openMenu("Rename");
    await page.getByRole("menuitem", { name: "Rename" }).click();
    const rename = page.getByRole("dialog", { name: `Rename ${slug}` });
    await rename.getByLabel("Name").fill(`Renamed ${slug}`);
    await rename.getByRole("button", { name: "Save" }).click();
    await expect(row).toContainText(`Renamed ${slug}`);

    await openMenu("Delete");
    await page.getByRole("menuitem", { name: "Delete" }).click();
    const confirm = page.getByRole("dialog", { name: `Delete project ${slug}?` });
    const button = confirm.getByRole("button", { name: "Delete project" });
    await expect(button).toBeDisabled();
    await confirm.getByRole("textbox").fill(slug);
    await button.click();
    await expect(confirm).toBeHidden();
    // The deletion job runs in the background: the row shows it, then goes.
    await expect
      .poll(async () => ((await row.count()) === 0 ? "gone" : await row.textContent()), { timeout: 30_000 })
      .toMatch(/gone|Deleting|Deletion/);
  });
});
