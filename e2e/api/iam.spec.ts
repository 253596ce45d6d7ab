// IAM over REST: users (invite, accept, suspend, reactivate, remove), roles, role bindings, the
// permission catalogue and API tokens, with the exact statuses and problem+json bodies.
import { expect, test, type APIRequestContext, type APIResponse } from "@playwright/test";
import { bearer, tokenFor } from "../fixtures/api";

const ORG = "/api/tenant/v1/organizations/acme";
const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  field?: string;
  requestId?: string;
  details?: Record<string, unknown>;
}

async function problem(res: APIResponse, status: number): Promise<Problem> {
  expect(res.status(), await res.text()).toBe(status);
  expect(res.headers()["content-type"]).toContain("application/problem+json");
  const body = (await res.json()) as Problem;
  expect(body.status).toBe(status);
  expect(body.requestId).toBeTruthy();
  return body;
}

async function ok<T>(res: APIResponse, status = 200): Promise<T> {
  expect(res.status(), await res.text()).toBe(status);
  return (await res.json()) as T;
}

let admin: Record<string, string>;
test.beforeAll(async ({ request }) => {
  admin = bearer(await tokenFor(request, "admin@acme.example"));
});

/** Invites someone new and has them accept; returns their id, email and an API token of theirs. */
async function newMember(
  request: APIRequestContext,
  role: string,
  project?: string,
): Promise<{ id: string; email: string; token: string }> {
  const email = `e2e-${unique()}@acme.example`;
  const invited = await ok<{ user: { id: string }; invitation: { url: string } }>(
    await request.post(`${ORG}/users`, {
      headers: admin,
      data: { email, name: "E2E Person", role, project },
    }),
    201,
  );
  const token = new URL(invited.invitation.url, "http://x").searchParams.get("token")!;
  await ok(
    await request.post("/api/common/v1/invitations/accept", {
      data: { token, password: "e2e password 1234" },
    }),
  );
  return { id: invited.user.id, email, token: await tokenFor(request, email, "e2e password 1234") };
}

test.describe("users", () => {
  test("lists users with their assignments; refusals are problem+json", async ({ request }) => {
    const list = await ok<{ items: { email: string; roles: { roleKey: string; scopeType: string }[] }[] }>(
      await request.get(`${ORG}/users?limit=100`, { headers: admin }),
    );
    expect(list.items.find((u) => u.email === "admin@acme.example")?.roles).toEqual([
      expect.objectContaining({ roleKey: "org-admin", scopeType: "org" }),
    ]);
    const searched = await ok<{ items: { email: string }[] }>(
      await request.get(`${ORG}/users?q=viewer`, { headers: admin }),
    );
    expect(searched.items.map((u) => u.email)).toEqual(["viewer@acme.example"]);

    const dev = bearer(await tokenFor(request, "dev@acme.example"));
    expect(await problem(await request.get(`${ORG}/users`, { headers: dev }), 403)).toMatchObject({
      code: "FORBIDDEN",
      detail: "You do not have the permission iam.user.list here",
    });
    const gus = bearer(await tokenFor(request, "admin@globex.example"));
    expect(await problem(await request.get(`${ORG}/users`, { headers: gus }), 404)).toMatchObject({
      code: "NOT_FOUND",
      detail: "Organization acme not found",
    });
    expect(await problem(await request.get(`${ORG}/users`), 401)).toMatchObject({ code: "UNAUTHENTICATED" });
    expect(
      await problem(await request.get(`${ORG}/users?status=gone`, { headers: admin }), 400),
    ).toMatchObject({ code: "INVALID_INPUT", field: "status" });
  });

  test("invites with Idempotency-Key; the invitee accepts and signs in", async ({ request }) => {
    const email = `e2e-${unique()}@acme.example`;
    const key = `invite-${unique()}`;
    const body = { email, name: "Ivy Invitee", role: "project-member", project: "web" };
    const first = await request.post(`${ORG}/users`, {
      headers: { ...admin, "Idempotency-Key": key },
      data: body,
    });
    const created = await ok<{ created: boolean; user: { status: string }; invitation: { url: string } }>(
      first,
      201,
    );
    expect(created).toMatchObject({ created: true, user: { status: "invited" } });
    const replay = await request.post(`${ORG}/users`, {
      headers: { ...admin, "Idempotency-Key": key },
      data: body,
    });
    expect(replay.headers()["idempotent-replayed"]).toBe("true");
    expect(await ok(replay, 201)).toEqual(JSON.parse(JSON.stringify(created)));

    const token = new URL(created.invitation.url, "http://x").searchParams.get("token")!;
    expect(await ok(await request.get(`/api/common/v1/invitations/${token}`))).toMatchObject({
      email,
      organizations: [{ slug: "acme", name: "Acme Corp" }],
    });
    expect(
      await problem(
        await request.post("/api/common/v1/invitations/accept", { data: { token, password: "short" } }),
        400,
      ),
    ).toMatchObject({ field: "password", detail: "password: use at least 10 characters" });
    await ok(
      await request.post("/api/common/v1/invitations/accept", {
        data: { token, password: "ivy password 1234" },
      }),
    );
    expect(
      await problem(
        await request.post("/api/common/v1/invitations/accept", {
          data: { token, password: "ivy password 1234" },
        }),
        404,
      ),
    ).toMatchObject({
      detail: "This invitation link is invalid or has expired. Ask an administrator for a new one.",
    });
    const ivy = bearer(await tokenFor(request, email, "ivy password 1234"));
    expect(
      await ok<{ slug: string }>(await request.get("/api/tenant/v1/projects/web", { headers: ivy })),
    ).toMatchObject({
      slug: "web",
    });
  });

  test("suspension refuses the user's next API call; reactivation restores it", async ({ request }) => {
    const m = await newMember(request, "project-member", "web");
    const theirs = bearer(m.token);
    await ok(await request.get("/api/common/v1/me", { headers: theirs }));
    const res = await ok<{ user: { status: string } }>(
      await request.post(`${ORG}/users/${m.id}/suspend`, { headers: admin, data: {} }),
    );
    expect(res.user.status).toBe("suspended");
    expect(await problem(await request.get("/api/common/v1/me", { headers: theirs }), 401)).toMatchObject({
      code: "UNAUTHENTICATED",
      detail: "The API token is invalid, expired or revoked",
    });
    expect(
      await problem(await request.post(`${ORG}/users/${m.id}/suspend`, { headers: admin, data: {} }), 409),
    ).toMatchObject({
      detail: `${m.email} is already suspended`,
    });
    await ok(await request.post(`${ORG}/users/${m.id}/reactivate`, { headers: admin, data: {} }));
    await ok(await request.get("/api/common/v1/me", { headers: theirs }));
    // Removal: their assignments and org tokens go; the org is gone for them.
    expect(await ok(await request.delete(`${ORG}/users/${m.id}`, { headers: admin }))).toEqual({
      bindingsRemoved: 1,
      tokensRevoked: 0,
    });
    await problem(await request.get(`${ORG}/projects`, { headers: theirs }), 404);
  });

  test("protects the caller and the last admin", async ({ request }) => {
    const me = await ok<{ id: string }>(await request.get("/api/common/v1/me", { headers: admin }));
    expect(
      await problem(await request.post(`${ORG}/users/${me.id}/suspend`, { headers: admin, data: {} }), 409),
    ).toMatchObject({
      detail: "You cannot suspend yourself",
    });
    const bindings = await ok<{ items: { id: string; roleKey: string }[] }>(
      await request.get(`${ORG}/role-bindings?userId=${me.id}`, { headers: admin }),
    );
    const adminBinding = bindings.items.find((b) => b.roleKey === "org-admin")!;
    expect(
      await problem(await request.delete(`${ORG}/role-bindings/${adminBinding.id}`, { headers: admin }), 409),
    ).toMatchObject({
      detail:
        "admin@acme.example is the last organisation admin of acme: make someone else an admin before you remove this assignment",
    });
  });
});

test.describe("roles and role bindings", () => {
  test("the permission catalogue", async ({ request }) => {
    const res = await ok<{ items: { permission: string; resource: string; scope: string }[] }>(
      await request.get("/api/tenant/v1/permissions", { headers: admin }),
    );
    expect(res.items.find((p) => p.permission === "compute.instance.create")).toMatchObject({
      resource: "compute.instance",
      scope: "project",
    });
  });

  test("creates a custom role, assigns it, refuses to delete it in use, then deletes it", async ({
    request,
  }) => {
    const name = `E2E role ${unique()}`;
    const role = await ok<{ id: string; key: string; permissions: string[] }>(
      await request.post(`${ORG}/roles`, {
        headers: admin,
        data: { name, scopes: ["project"], permissions: ["compute.instance.list", "compute.instance.get"] },
      }),
      201,
    );
    expect(await ok(await request.get(`${ORG}/roles/${role.key}`, { headers: admin }))).toMatchObject({
      id: role.id,
    });
    expect(
      await ok(
        await request.patch(`${ORG}/roles/${role.id}`, {
          headers: admin,
          data: { permissions: ["compute.instance.list"] },
        }),
      ),
    ).toMatchObject({ permissions: ["compute.instance.list"] });
    const binding = await ok<{ id: string; scopeType: string; projectSlug: string }>(
      await request.post(`${ORG}/role-bindings`, {
        headers: admin,
        data: { user: "viewer@acme.example", role: role.id, project: "data" },
      }),
      201,
    );
    expect(binding).toMatchObject({ scopeType: "project", projectSlug: "data" });
    expect(
      await problem(await request.delete(`${ORG}/roles/${role.id}`, { headers: admin }), 409),
    ).toMatchObject({
      detail: `${name} is assigned 1 time: remove that assignment first`,
      details: { bindings: 1 },
    });
    await ok(await request.delete(`${ORG}/role-bindings/${binding.id}`, { headers: admin }));
    await ok(await request.delete(`${ORG}/roles/${role.id}`, { headers: admin }));
    await problem(await request.get(`${ORG}/roles/${role.id}`, { headers: admin }), 404);
  });

  test("refuses escalation with the exact message", async ({ request }) => {
    // A project admin of web may assign in web, not at organisation scope, and sees no other project.
    const padmin = bearer((await newMember(request, "project-admin", "web")).token);
    expect(
      await problem(
        await request.post(`${ORG}/role-bindings`, {
          headers: padmin,
          data: { user: "viewer@acme.example", role: "org-reader" },
        }),
        403,
      ),
    ).toMatchObject({ detail: "You do not have the permission iam.rolebinding.create in organisation acme" });
    expect(
      await problem(
        await request.post(`${ORG}/role-bindings`, {
          headers: padmin,
          data: { user: "viewer@acme.example", role: "project-reader", project: "data" },
        }),
        404,
      ),
    ).toMatchObject({ detail: "Project data not found" });
    const ok201 = await request.post(`${ORG}/role-bindings`, {
      headers: padmin,
      data: { user: "viewer@acme.example", role: "project-reader", project: "web" },
    });
    const b = await ok<{ id: string }>(ok201, 201);
    await ok(await request.delete(`${ORG}/role-bindings/${b.id}`, { headers: padmin }));
    expect(
      await problem(
        await request.post(`${ORG}/roles`, {
          headers: padmin,
          data: { name: "nope", scopes: ["project"], permissions: ["job.job.list"] },
        }),
        403,
      ),
    ).toMatchObject({ detail: "You do not have the permission iam.role.create here" });
    expect(
      await problem(
        await request.post(`${ORG}/roles`, {
          headers: admin,
          data: { name: "ops", scopes: ["org"], permissions: ["platform.organization.create"] },
        }),
        400,
      ),
    ).toMatchObject({ field: "permissions" });
  });
});

test.describe("API tokens", () => {
  test("created once, listed without the secret, revoked at once", async ({ request }) => {
    const dev = bearer(await tokenFor(request, "dev@acme.example"));
    const created = await ok<{ id: string; token: string; prefix: string }>(
      await request.post("/api/common/v1/tokens", {
        headers: dev,
        data: { name: "e2e ci", expiresInDays: 3 },
      }),
      201,
    );
    expect(created.token.startsWith(created.prefix)).toBe(true);
    const list = await request.get("/api/common/v1/tokens", { headers: dev });
    const text = await list.text();
    expect(text).toContain(created.id);
    expect(text).not.toContain(created.token);
    const mine = bearer(created.token);
    await ok(await request.get("/api/common/v1/me", { headers: mine }));
    expect(await ok(await request.delete(`/api/common/v1/tokens/${created.id}`, { headers: dev }))).toEqual({
      id: created.id,
      name: "e2e ci",
    });
    expect(await problem(await request.get("/api/common/v1/me", { headers: mine }), 401)).toMatchObject({
      detail: "The API token is invalid, expired or revoked",
    });
    expect(
      await problem(await request.delete(`/api/common/v1/tokens/${created.id}`, { headers: dev }), 404),
    ).toMatchObject({ detail: `API token ${created.id} not found` });
  });

  test("a project token only for a project the caller can see", async ({ request }) => {
    const projects = await ok<{ items: { id: string; slug: string }[] }>(
      await request.get(`${ORG}/projects`, { headers: admin }),
    );
    const web = projects.items.find((p) => p.slug === "web")!;
    const data = projects.items.find((p) => p.slug === "data")!;
    const dev = bearer(await tokenFor(request, "dev@acme.example"));
    expect(
      await problem(
        await request.post("/api/common/v1/tokens", {
          headers: dev,
          data: { name: "x", projectId: data.id },
        }),
        404,
      ),
    ).toMatchObject({ field: "projectId", detail: `Project ${data.id} not found` });
    const scoped = await ok<{ id: string; token: string; project: { slug: string } }>(
      await request.post("/api/common/v1/tokens", {
        headers: dev,
        data: { name: "web only", projectId: web.id },
      }),
      201,
    );
    expect(scoped.project.slug).toBe("web");
    await ok(await request.get("/api/tenant/v1/projects/web", { headers: bearer(scoped.token) }));
    await ok(await request.delete(`/api/common/v1/tokens/${scoped.id}`, { headers: dev }));
  });
});

test.describe("projects", () => {
  test("reserved slugs are refused with the field named", async ({ request }) => {
    expect(
      await problem(
        await request.post(`${ORG}/projects`, { headers: admin, data: { name: "IAM", slug: "iam" } }),
        400,
      ),
    ).toMatchObject({
      code: "INVALID_INPUT",
      field: "slug",
      detail:
        "slug: iam is reserved by the console; choose another slug (reserved: projects, iam, activity, quotas, quota-requests, jobs, settings, admin)",
    });
  });
});
