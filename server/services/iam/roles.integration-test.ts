// Roles and role bindings through the real procedure ladder: custom roles without escalation,
// assignment rules per scope, the last admin, roles in use, and changes effective at once.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { roleBindings, roles } from "@/db/schema";
import { allPermissions } from "@/server/iam/permissions";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { callerFor, seedPersonas, type Demo } from "@/test/personas";
import { failure, session, successEvents, userWithPermissions } from "./iam-test-helpers";

let t: TestDatabase;
let demo: Demo;

beforeAll(async () => {
  t = await createTestDatabase();
  demo = await seedPersonas(t.db);
  // Holds role creation and a handful of permissions, but not the compute ones.
  await userWithPermissions(t.db, demo.acme.id, "rolemaker@acme.example", [
    "iam.role.list",
    "iam.role.create",
    "iam.role.update",
    "iam.role.delete",
    "iam.rolebinding.list",
    "iam.rolebinding.create",
    "iam.rolebinding.delete",
    "job.job.list",
    "compute.instance.list",
  ]);
});
afterAll(() => t.close());

describe("the permission catalogue", () => {
  it("lists every permission with its service, resource and scope", async () => {
    const dev = await callerFor(t.db, "dev@acme.example");
    const res = await dev.iam.listPermissions();
    expect(res.items).toHaveLength(allPermissions.length);
    expect(res.items.find((p) => p.permission === "compute.instance.create")).toEqual({
      permission: "compute.instance.create",
      service: "compute",
      resource: "compute.instance",
      action: "create",
      description: "Create virtual machines",
      scope: "project",
      readOnly: false,
    });
    expect((await dev.iam.listPermissions({ service: "iam" })).items.every((p) => p.service === "iam")).toBe(
      true,
    );
  });
});

describe("roles", () => {
  it("lists system roles first, then custom ones, with how often each is assigned", async () => {
    const admin = await callerFor(t.db, "admin@acme.example");
    const res = await admin.iam.listRoles({ org: "acme" });
    expect(res.items.map((r) => r.key).slice(0, 5)).toEqual([
      "org-admin",
      "org-reader",
      "project-admin",
      "project-member",
      "project-reader",
    ]);
    expect(res.items.some((r) => r.key.startsWith("platform-"))).toBe(false);
    expect(res.items.find((r) => r.key === "org-admin")?.bindingCount).toBe(1);
    expect(res.items.find((r) => r.key === "job-watcher")).toMatchObject({
      isSystem: false,
      bindingCount: 1,
    });
    expect((await admin.iam.listRoles({ org: "acme", type: "custom" })).items.every((r) => !r.isSystem)).toBe(
      true,
    );
    expect((await admin.iam.listRoles({ org: "acme", scope: "org" })).items.map((r) => r.key)).not.toContain(
      "project-member",
    );
    // Globex does not see Acme's custom roles.
    const gus = await callerFor(t.db, "admin@globex.example");
    expect((await gus.iam.listRoles({ org: "globex" })).items.map((r) => r.key)).not.toContain("job-watcher");
  });

  it("lets a project admin read the roles they may assign, but not an outsider", async () => {
    const padmin = await callerFor(t.db, "padmin@acme.example");
    expect((await padmin.iam.listRoles({ org: "acme" })).items.length).toBeGreaterThan(4);
    const dev = await callerFor(t.db, "dev@acme.example");
    expect(await failure(dev.iam.listRoles({ org: "acme" }))).toMatchObject({
      code: "FORBIDDEN",
      message: "You do not have the permission iam.role.list here",
    });
    const gus = await callerFor(t.db, "admin@globex.example");
    expect(await failure(gus.iam.getRole({ org: "acme", roleId: "job-watcher" }))).toMatchObject({
      code: "NOT_FOUND",
    });
  });

  it("creates, updates and deletes a custom role, one audit event each", async () => {
    const { ctx, caller: admin } = await session(t.db, "admin@acme.example");
    const role = await admin.iam.createRole({
      org: "acme",
      name: "VM Operator",
      description: "Runs VMs",
      scopes: ["project"],
      permissions: ["compute.instance.list", "compute.instance.action", "compute.instance.get"],
    });
    expect(role).toMatchObject({ key: "vm-operator", isSystem: false, scopes: ["project"], bindingCount: 0 });
    expect(role.permissions).toEqual([
      "compute.instance.action",
      "compute.instance.get",
      "compute.instance.list",
    ]);
    expect((await successEvents(t.db, ctx.requestId)).map((e) => e.action)).toEqual(["iam.role.create"]);

    const { ctx: ctx2, caller: admin2 } = await session(t.db, "admin@acme.example");
    const updated = await admin2.iam.updateRole({
      org: "acme",
      roleId: role.id,
      name: "VM operator",
      scopes: ["org", "project"],
      permissions: ["compute.instance.list", "compute.instance.get"],
    });
    expect(updated).toMatchObject({ name: "VM operator", scopes: ["org", "project"] });
    const [ev] = await successEvents(t.db, ctx2.requestId);
    expect(ev).toMatchObject({ action: "iam.role.update" });
    expect(ev!.data).toMatchObject({ added: [], removed: ["compute.instance.action"] });

    expect(await admin.iam.deleteRole({ org: "acme", roleId: "vm-operator" })).toMatchObject({
      key: "vm-operator",
    });
    expect(await t.db.select().from(roles).where(eq(roles.id, role.id))).toEqual([]);
  });

  const base = { org: "acme", name: "R", scopes: ["org", "project"] as ("org" | "project")[] };
  it.each([
    [
      "permissions the author does not hold",
      "rolemaker@acme.example",
      { ...base, permissions: ["job.job.list", "compute.instance.delete", "compute.instance.create"] },
      "FORBIDDEN",
      "You can only put permissions you hold in this organisation into a role; you do not hold: compute.instance.create, compute.instance.delete",
    ],
    [
      "an unknown permission",
      "admin@acme.example",
      { ...base, permissions: ["compute.instance.fly"] },
      "BAD_REQUEST",
      "permissions: unknown permission compute.instance.fly",
    ],
    [
      "a platform permission",
      "ops@cirrus.example",
      { ...base, permissions: ["platform.organization.create"] },
      "BAD_REQUEST",
      "permissions: platform.organization.create can only be held by platform operators",
    ],
    [
      "an organisation permission in a project-only role",
      "admin@acme.example",
      { ...base, scopes: ["project" as const], permissions: ["iam.user.list", "job.job.list"] },
      "BAD_REQUEST",
      "permissions: iam.user.list only apply at organisation scope: allow that scope or remove them",
    ],
    [
      "the key of a system role",
      "admin@acme.example",
      { ...base, key: "org-admin", permissions: ["job.job.list"] },
      "CONFLICT",
      "key: org-admin is the key of a system role; choose another",
    ],
    [
      "a key in use",
      "admin@acme.example",
      { ...base, key: "job-watcher", permissions: ["job.job.list"] },
      "CONFLICT",
      "A role with the key job-watcher already exists in acme",
    ],
    [
      "no permissions",
      "admin@acme.example",
      { ...base, permissions: [] },
      "BAD_REQUEST",
      "permissions: Too small: expected array to have >=1 items",
    ],
    [
      "without the permission",
      "padmin@acme.example",
      { ...base, permissions: ["job.job.list"] },
      "FORBIDDEN",
      "You do not have the permission iam.role.create here",
    ],
  ])("refuses a role with %s", async (_what, as, input, code, message) => {
    const caller = await callerFor(t.db, as);
    expect(await failure(caller.iam.createRole(input))).toMatchObject({ code, message });
  });

  it("lets an author add only what they hold, but remove anything", async () => {
    const maker = await callerFor(t.db, "rolemaker@acme.example");
    const role = await maker.iam.createRole({
      org: "acme",
      name: "Watcher plus",
      scopes: ["org", "project"],
      permissions: ["job.job.list"],
    });
    expect(
      await failure(
        maker.iam.updateRole({
          org: "acme",
          roleId: role.id,
          permissions: ["job.job.list", "compute.instance.delete"],
        }),
      ),
    ).toMatchObject({
      code: "FORBIDDEN",
      message:
        "You can only put permissions you hold in this organisation into a role; you do not hold: compute.instance.delete",
    });
    // The admin adds one the maker lacks; the maker may still rename the role and drop it.
    const admin = await callerFor(t.db, "admin@acme.example");
    await admin.iam.updateRole({
      org: "acme",
      roleId: role.id,
      permissions: ["job.job.list", "compute.instance.delete"],
    });
    expect(
      (await maker.iam.updateRole({ org: "acme", roleId: role.id, name: "Watcher" })).permissions,
    ).toEqual(["compute.instance.delete", "job.job.list"]);
    expect(
      (await maker.iam.updateRole({ org: "acme", roleId: role.id, permissions: ["job.job.list"] }))
        .permissions,
    ).toEqual(["job.job.list"]);
  });

  it.each([
    [
      "update",
      "org-admin",
      "CONFLICT",
      "Organisation admin is a system role and cannot be changed; create a custom role instead",
    ],
    [
      "delete",
      "project-member",
      "CONFLICT",
      "Project member is a system role and cannot be deleted; create a custom role instead",
    ],
    ["delete", "job-watcher", "CONFLICT", "Job watcher is assigned 1 time: remove that assignment first"],
    ["delete", "does-not-exist", "NOT_FOUND", "Role does-not-exist not found"],
  ] as const)("refuses to %s %s", async (verb, roleId, code, message) => {
    const admin = await callerFor(t.db, "admin@acme.example");
    const call =
      verb === "update"
        ? admin.iam.updateRole({ org: "acme", roleId, name: "x" })
        : admin.iam.deleteRole({ org: "acme", roleId });
    expect(await failure(call)).toMatchObject({ code, message });
  });

  it("refuses to drop a scope that assignments use", async () => {
    const admin = await callerFor(t.db, "admin@acme.example");
    const role = await admin.iam.createRole({
      org: "acme",
      name: "Scoped",
      scopes: ["org", "project"],
      permissions: ["job.job.list"],
    });
    await admin.iam.createRoleBinding({
      org: "acme",
      user: "dev@acme.example",
      role: role.id,
      project: "web",
    });
    expect(
      await failure(admin.iam.updateRole({ org: "acme", roleId: role.id, scopes: ["org"] })),
    ).toMatchObject({
      code: "CONFLICT",
      message:
        "Scoped is assigned 1 time at project scope: remove those assignments before you drop that scope",
    });
  });
});

describe("role bindings", () => {
  it("assigns a role in a project; it applies on the next request and goes with its removal", async () => {
    const dev = await callerFor(t.db, "dev@acme.example");
    expect(await failure(dev.resourcemanager.getProject({ project: demo.data.id }))).toMatchObject({
      code: "NOT_FOUND",
    });
    const { ctx, caller: admin } = await session(t.db, "admin@acme.example");
    const b = await admin.iam.createRoleBinding({
      org: "acme",
      user: "dev@acme.example",
      role: "project-reader",
      project: "data",
    });
    expect(b).toMatchObject({
      scopeType: "project",
      projectSlug: "data",
      roleKey: "project-reader",
      userEmail: "dev@acme.example",
    });
    expect((await successEvents(t.db, ctx.requestId)).map((e) => e.action)).toEqual([
      "iam.rolebinding.create",
    ]);
    const devNext = await callerFor(t.db, "dev@acme.example");
    expect((await devNext.resourcemanager.getProject({ project: demo.data.id })).slug).toBe("data");

    const listed = await admin.iam.listRoleBindings({ org: "acme", userId: "dev@acme.example" });
    expect(listed.items.map((x) => `${x.roleKey}@${x.projectSlug ?? "org"}`).sort()).toEqual([
      "project-member@web",
      "project-reader@data",
      "scoped@web",
    ]);

    await admin.iam.deleteRoleBinding({ org: "acme", bindingId: b.id });
    const devAfter = await callerFor(t.db, "dev@acme.example");
    expect(await failure(devAfter.resourcemanager.getProject({ project: demo.data.id }))).toMatchObject({
      code: "NOT_FOUND",
    });
  });

  it("lets a project admin assign in their project only, and list only its assignments", async () => {
    const padmin = await callerFor(t.db, "padmin@acme.example");
    const b = await padmin.iam.createRoleBinding({
      org: "acme",
      user: "viewer@acme.example",
      role: "project-member",
      project: "web",
    });
    expect(b.projectSlug).toBe("web");
    const listed = await padmin.iam.listRoleBindings({ org: "acme" });
    expect(listed.items.length).toBeGreaterThan(0);
    expect(listed.items.every((x) => x.projectSlug === "web")).toBe(true);
    await padmin.iam.deleteRoleBinding({ org: "acme", bindingId: b.id });
  });

  it.each([
    [
      "padmin@acme.example",
      { user: "viewer@acme.example", role: "org-reader" },
      "FORBIDDEN",
      "You do not have the permission iam.rolebinding.create in organisation acme",
    ],
    [
      "padmin@acme.example",
      { user: "viewer@acme.example", role: "project-reader", project: "data" },
      "NOT_FOUND",
      "Project data not found",
    ],
    [
      "rolemaker@acme.example",
      { user: "viewer@acme.example", role: "project-member", project: "web" },
      "FORBIDDEN",
      /^You cannot assign Project member in project web: it grants permissions you do not hold there: [a-z.]+(, [a-z.]+){5} and \d+ more$/,
    ],
    [
      "admin@acme.example",
      { user: "dev@acme.example", role: "org-admin", project: "web" },
      "BAD_REQUEST",
      "role: Organisation admin can only be assigned at organisation scope",
    ],
    [
      "admin@acme.example",
      { user: "dev@acme.example", role: "project-member", project: "web" },
      "CONFLICT",
      "dev@acme.example already has the role Project member in project web",
    ],
    [
      "admin@acme.example",
      { user: "admin@globex.example", role: "org-reader" },
      "NOT_FOUND",
      "User admin@globex.example is not a member of acme",
    ],
    [
      "admin@acme.example",
      { user: "dev@acme.example", role: "platform-admin" },
      "NOT_FOUND",
      "Role platform-admin not found",
    ],
    [
      "dev@acme.example",
      { user: "viewer@acme.example", role: "project-reader", project: "web" },
      "FORBIDDEN",
      "You do not have the permission iam.rolebinding.create here",
    ],
    [
      "admin@globex.example",
      { user: "dev@acme.example", role: "org-reader" },
      "NOT_FOUND",
      "Organization acme not found",
    ],
  ] as const)("as %s, assigning %o is %s", async (as, input, code, message) => {
    const caller = await callerFor(t.db, as);
    const f = await failure(caller.iam.createRoleBinding({ org: "acme", ...input }));
    expect(f.code).toBe(code);
    if (typeof message === "string") expect(f.message).toBe(message);
    else expect(f.message).toMatch(message);
  });

  it("lets a holder assign a role within their own permissions", async () => {
    const maker = await callerFor(t.db, "rolemaker@acme.example");
    const b = await maker.iam.createRoleBinding({
      org: "acme",
      user: "viewer@acme.example",
      role: "job-watcher",
      project: "web",
    });
    expect(b.roleKey).toBe("job-watcher");
    await maker.iam.deleteRoleBinding({ org: "acme", bindingId: b.id });
  });

  it("never removes the last active org admin's binding", async () => {
    const admin = await callerFor(t.db, "admin@acme.example");
    const mine = await admin.iam.listRoleBindings({ org: "acme", userId: "admin@acme.example" });
    const adminBinding = mine.items.find((b) => b.roleKey === "org-admin")!;
    expect(
      await failure(admin.iam.deleteRoleBinding({ org: "acme", bindingId: adminBinding.id })),
    ).toMatchObject({
      code: "CONFLICT",
      message:
        "admin@acme.example is the last organisation admin of acme: make someone else an admin before you remove this assignment",
    });
    // With a second admin, the first may step down.
    await admin.iam.createRoleBinding({ org: "acme", user: "viewer@acme.example", role: "org-admin" });
    await admin.iam.deleteRoleBinding({ org: "acme", bindingId: adminBinding.id });
    const [gone] = await t.db.select().from(roleBindings).where(eq(roleBindings.id, adminBinding.id));
    expect(gone).toBeUndefined();
    // Alice lost her only role on her next request: acme is gone for her. Vera restores her.
    const alice = await callerFor(t.db, "admin@acme.example");
    expect(
      await failure(
        alice.iam.createRole({ org: "acme", name: "x", scopes: ["org"], permissions: ["job.job.list"] }),
      ),
    ).toMatchObject({ code: "NOT_FOUND", message: "Organization acme not found" });
    const vera = await callerFor(t.db, "viewer@acme.example");
    await vera.iam.createRoleBinding({ org: "acme", user: "admin@acme.example", role: "org-admin" });
  });

  it.each([
    [
      "admin@acme.example",
      "00000000-0000-4000-8000-000000000000",
      "NOT_FOUND",
      "Role assignment 00000000-0000-4000-8000-000000000000 not found",
    ],
    ["admin@acme.example", "not-a-uuid", "NOT_FOUND", "Role assignment not-a-uuid not found"],
  ])("as %s, removing assignment %s is %s", async (as, bindingId, code, message) => {
    const caller = await callerFor(t.db, as);
    expect(await failure(caller.iam.deleteRoleBinding({ org: "acme", bindingId }))).toMatchObject({
      code,
      message,
    });
  });

  it("hides another organisation's assignment and a project the caller cannot see", async () => {
    const gus = await callerFor(t.db, "admin@globex.example");
    const [gb] = (await gus.iam.listRoleBindings({ org: "globex" })).items;
    const admin = await callerFor(t.db, "admin@acme.example");
    expect(await failure(admin.iam.deleteRoleBinding({ org: "acme", bindingId: gb!.id }))).toMatchObject({
      code: "NOT_FOUND",
    });
    // padmin cannot see an org-wide assignment at all.
    const vera = (
      await admin.iam.listRoleBindings({ org: "acme", userId: "viewer@acme.example" })
    ).items.find((b) => b.roleKey === "org-reader")!;
    const padmin = await callerFor(t.db, "padmin@acme.example");
    expect(await failure(padmin.iam.deleteRoleBinding({ org: "acme", bindingId: vera.id }))).toMatchObject({
      code: "NOT_FOUND",
    });
  });
});
