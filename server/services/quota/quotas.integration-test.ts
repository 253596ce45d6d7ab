// Quotas and quota requests through the real procedure ladder: carving project limits out of the
// organisation's, PUT validation, approvals applying limits atomically, concurrent decisions,
// operator-only paths, and another tenant's requests answering NOT_FOUND.
import { TRPCError } from "@trpc/server";
import { and, desc, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  auditEvents,
  notifications,
  orgQuotas,
  projectQuotas,
  quotaRequests,
  roleBindings,
  roles,
  users,
} from "@/db/schema";
import { ZodError } from "zod";
import { hashToken } from "@/server/iam/tokens";
import { formatZod } from "@/server/trpc";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { callerFor, seedPersonas, type Demo } from "@/test/personas";

let t: TestDatabase;
let demo: Demo;
type Caller = Awaited<ReturnType<typeof callerFor>>;
let ops: Caller, admin: Caller, dev: Caller, viewer: Caller, padmin: Caller, globex: Caller;

beforeAll(async () => {
  t = await createTestDatabase();
  demo = await seedPersonas(t.db);
  ops = await callerFor(t.db, "ops@cirrus.example");
  admin = await callerFor(t.db, "admin@acme.example");
  dev = await callerFor(t.db, "dev@acme.example");
  viewer = await callerFor(t.db, "viewer@acme.example");
  padmin = await callerFor(t.db, "padmin@acme.example");
  globex = await callerFor(t.db, "admin@globex.example");
});
afterAll(() => t.close());

/** The demo's starting point: acme 100 instances, web 20 and data 20; nothing in use. */
async function reset(): Promise<void> {
  await t.db.delete(quotaRequests).where(sql`true`);
  await t.db
    .update(orgQuotas)
    .set({ limit: 100 })
    .where(and(eq(orgQuotas.orgId, demo.acme.id), eq(orgQuotas.resource, "instances")));
  await t.db
    .update(projectQuotas)
    .set({ limit: 20, used: 0, reserved: 0 })
    .where(and(eq(projectQuotas.orgId, demo.acme.id), eq(projectQuotas.resource, "instances")));
}
beforeEach(reset);

async function failure(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await p;
  } catch (e) {
    // Input errors reach users formatted (REST problem and tRPC error formatter alike).
    if (e instanceof TRPCError)
      return { code: e.code, message: e.cause instanceof ZodError ? formatZod(e.cause) : e.message };
    throw e;
  }
  throw new Error("expected a failure, got success");
}

async function limitOf(projectId: string, resource = "instances"): Promise<number> {
  const [row] = await t.db
    .select({ limit: projectQuotas.limit })
    .from(projectQuotas)
    .where(and(eq(projectQuotas.projectId, projectId), eq(projectQuotas.resource, resource)));
  return row!.limit;
}

async function orgLimitOf(resource = "instances"): Promise<number> {
  const [row] = await t.db
    .select({ limit: orgQuotas.limit })
    .from(orgQuotas)
    .where(and(eq(orgQuotas.orgId, demo.acme.id), eq(orgQuotas.resource, resource)));
  return row!.limit;
}

const webRequest = (limit: number, extra: Record<string, unknown> = {}) => ({
  org: "acme",
  project: "web",
  description: "Launch traffic",
  priority: "High" as const,
  resources: [{ resource: "instances" as const, limit }],
  ...extra,
});

describe("reading quotas", () => {
  it("answers the org's limits, usage summed over its projects, allocation and the breakdown", async () => {
    await t.db
      .update(projectQuotas)
      .set({ used: 15, reserved: 2 })
      .where(and(eq(projectQuotas.projectId, demo.web.id), eq(projectQuotas.resource, "instances")));
    await t.db
      .update(projectQuotas)
      .set({ used: 4 })
      .where(and(eq(projectQuotas.projectId, demo.data.id), eq(projectQuotas.resource, "instances")));
    const q = await admin.quota.getOrgQuotas({ org: "acme" });
    expect(q.org.slug).toBe("acme");
    expect(q.limits.instances).toBe(100);
    expect(q.usage.instances).toBe(19);
    expect(q.reserved.instances).toBe(2);
    expect(q.allocated.instances).toBe(40);
    expect(q.available.instances).toBe(60);
    expect(q.health.instances).toBe("ok");
    const web = q.projects.find((p) => p.slug === "web")!;
    expect(web.limits.instances).toBe(20);
    expect(web.usage.instances).toBe(15);
    // 17 of 20 counting the reservation: 85 % is a warning.
    expect(web.health.instances).toBe("warning");
    expect(q.projects.map((p) => p.slug).sort()).toEqual(["data", "web"]);
  });

  it("shows project members their project, without the org's room", async () => {
    const mine = await dev.quota.getProjectQuotas({ project: "web" });
    expect(mine.limits.instances).toBe(20);
    expect(mine.available).toBeNull();
    const adminView = await admin.quota.getProjectQuotas({ project: "web" });
    expect(adminView.available?.instances).toBe(60);
    expect(await failure(dev.quota.getProjectQuotas({ project: "data" }))).toEqual({
      code: "NOT_FOUND",
      message: "Project data not found",
    });
    expect((await failure(dev.quota.getOrgQuotas({ org: "acme" }))).code).toBe("FORBIDDEN");
    expect(await failure(globex.quota.getOrgQuotas({ org: "acme" }))).toEqual({
      code: "NOT_FOUND",
      message: "Organization acme not found",
    });
  });
});

describe("project limits are carved out of the org's", () => {
  it("raises within what the org has left, and refuses beyond it naming the numbers", async () => {
    const raised = await admin.quota.updateProjectQuotas({ project: "web", limits: { instances: 80 } });
    expect(raised.limits.instances).toBe(80);
    expect(raised.available?.instances).toBe(0);
    expect(raised.changes).toEqual([{ scope: "project", resource: "instances", before: 20, after: 80 }]);
    expect(
      await failure(admin.quota.updateProjectQuotas({ project: "data", limits: { instances: 21 } })),
    ).toEqual({
      code: "UNPROCESSABLE_CONTENT",
      message:
        "Instances: raising data from 20 to 21 needs 1 more, but Acme Corp has only 0 left to allocate (limit 100, 100 allocated to projects). Lower another project's limit, or ask a cloud operator to raise the organisation's.",
    });
    expect(await limitOf(demo.data.id)).toBe(20);
  });

  it("keeps the sum of project limits within the org's under concurrent raises", async () => {
    // 60 left: eight concurrent raises of 10 each on two projects can admit at most six.
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) =>
        admin.quota.updateProjectQuotas({
          project: i % 2 ? "web" : "data",
          limits: { instances: 20 + 10 * (Math.floor(i / 2) + 1) },
        }),
      ),
    );
    const [sum] = await t.db
      .select({ n: sql<number>`sum(${projectQuotas.limit})::int` })
      .from(projectQuotas)
      .where(and(eq(projectQuotas.orgId, demo.acme.id), eq(projectQuotas.resource, "instances")));
    expect(sum!.n).toBeLessThanOrEqual(100);
    expect(results.some((r) => r.status === "fulfilled")).toBe(true);
  });

  it.each([
    ["an unknown resource", { foo: 1 }, "BAD_REQUEST", 'limits: Unrecognized key: "foo"'],
    [
      "a negative limit",
      { instances: -1 },
      "BAD_REQUEST",
      "limits.instances: Too small: expected number to be >=0",
    ],
    [
      "a fraction",
      { vcpus: 1.5 },
      "BAD_REQUEST",
      "limits.vcpus: Invalid input: expected int, received number",
    ],
    ["nothing to change", {}, "BAD_REQUEST", "limits: name at least one resource to change"],
  ])("refuses %s with the field named", async (_what, limits, code, message) => {
    expect(
      await failure(
        admin.quota.updateProjectQuotas({ project: "web", limits: limits as { instances: number } }),
      ),
    ).toEqual({ code, message });
  });

  it("refuses to lower a limit below what is in use, reservations included", async () => {
    await t.db
      .update(projectQuotas)
      .set({ used: 5, reserved: 2 })
      .where(and(eq(projectQuotas.projectId, demo.web.id), eq(projectQuotas.resource, "instances")));
    expect(
      await failure(admin.quota.updateProjectQuotas({ project: "web", limits: { instances: 6 } })),
    ).toEqual({
      code: "CONFLICT",
      message:
        "Instances: web has 7 in use (5 used, 2 reserved), so its limit cannot go below that (asked 6). Free some up first.",
    });
    const ok = await admin.quota.updateProjectQuotas({ project: "web", limits: { instances: 7 } });
    expect(ok.limits.instances).toBe(7);
  });

  it("is for org admins only, and another org's project does not exist", async () => {
    for (const c of [dev, padmin, viewer]) {
      expect(
        (await failure(c.quota.updateProjectQuotas({ project: "web", limits: { instances: 5 } }))).code,
      ).toBe("FORBIDDEN");
    }
    expect(
      await failure(globex.quota.updateProjectQuotas({ project: demo.web.id, limits: { instances: 5 } })),
    ).toEqual({ code: "NOT_FOUND", message: `Project ${demo.web.id} not found` });
    expect(await limitOf(demo.web.id)).toBe(20);
  });

  it("writes one audit event with the change", async () => {
    await admin.quota.updateProjectQuotas({ project: "web", limits: { instances: 25, vcpus: 40 } });
    const [event] = await t.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, "quota.project.update"))
      .orderBy(desc(auditEvents.seq))
      .limit(1);
    expect(event).toMatchObject({
      projectId: demo.web.id,
      actorEmail: "admin@acme.example",
      outcome: "success",
    });
    expect(event!.data).toMatchObject({
      changes: [{ scope: "project", resource: "instances", before: 20, after: 25 }],
    });
  });
});

describe("organisation limits (operators)", () => {
  it("cannot go below the sum of its project limits", async () => {
    expect(await failure(ops.ops.updateOrgQuotas({ org: "acme", limits: { instances: 30 } }))).toEqual({
      code: "CONFLICT",
      message:
        "Instances: Acme Corp's projects hold 40 (data 20, web 20), so its limit cannot go below that (asked 30). Lower the project limits first.",
    });
    const ok = await ops.ops.updateOrgQuotas({ org: "acme", limits: { instances: 40, ramGb: 600 } });
    expect(ok.limits.instances).toBe(40);
    expect(ok.limits.ramGb).toBe(600);
    expect(ok.available.instances).toBe(0);
  });

  it("are refused to org admins (403) on every operator path", async () => {
    const calls: [string, () => Promise<unknown>][] = [
      ["updateOrgQuotas", () => admin.ops.updateOrgQuotas({ org: "acme", limits: { instances: 500 } })],
      ["listOrganizations", () => admin.ops.listOrganizations({})],
      [
        "createOrganization",
        () => admin.ops.createOrganization({ name: "Evil", admin: { email: "x@y.example" } }),
      ],
      ["updateOrganization", () => admin.ops.updateOrganization({ org: "acme", status: "suspended" })],
      ["getDefaultQuotas", () => admin.ops.getDefaultQuotas({})],
      [
        "updateDefaultQuotas",
        () => admin.ops.updateDefaultQuotas({ items: [{ resource: "instances", orgLimit: 1 }] }),
      ],
      ["listAllQuotaRequests", () => admin.ops.listAllQuotaRequests({})],
    ];
    for (const [name, call] of calls) expect((await failure(call())).code, name).toBe("FORBIDDEN");
    expect(await orgLimitOf()).toBe(100);
  });
});

describe("quota requests", () => {
  it("a project member files one; the org admin approves it and the limit applies at once", async () => {
    const req = await dev.quota.createQuotaRequest(webRequest(30, { tags: ["launch", "cc-42"] }));
    expect(req).toMatchObject({
      status: "pending",
      priority: "High",
      project: { slug: "web" },
      requester: { email: "dev@acme.example" },
      resources: [{ resource: "instances", limit: 30, previousLimit: 20 }],
      tags: ["launch", "cc-42"],
    });
    // The org's admins hear of it.
    const [adminUser] = await t.db.select().from(users).where(eq(users.email, "admin@acme.example"));
    const adminNotes = await t.db.select().from(notifications).where(eq(notifications.userId, adminUser!.id));
    expect(
      adminNotes.some(
        (n) => n.kind === "quota-request.created" && n.link === `/acme/quota-requests/${req.id}`,
      ),
    ).toBe(true);

    const decided = await admin.quota.approveQuotaRequest({ id: req.id, comment: "Go ahead" });
    expect(decided).toMatchObject({
      status: "approved",
      decidedBy: { email: "admin@acme.example" },
      decisionComment: "Go ahead",
      changes: [{ scope: "project", resource: "instances", before: 20, after: 30 }],
    });
    expect(await limitOf(demo.web.id)).toBe(30);
    expect((await dev.quota.getProjectQuotas({ project: "web" })).limits.instances).toBe(30);

    const [devUser] = await t.db.select().from(users).where(eq(users.email, "dev@acme.example"));
    const devNotes = await t.db.select().from(notifications).where(eq(notifications.userId, devUser!.id));
    expect(devNotes.find((n) => n.kind === "quota-request.approved")?.body).toContain('"Go ahead"');

    const actions = await t.db
      .select({ action: auditEvents.action, targetId: auditEvents.targetId, data: auditEvents.data })
      .from(auditEvents)
      .where(eq(auditEvents.targetId, req.id));
    expect(actions.map((a) => a.action).sort()).toEqual(["quota.request.approve", "quota.request.create"]);
    expect(actions.find((a) => a.action === "quota.request.approve")!.data).toMatchObject({
      changes: [{ scope: "project", resource: "instances", before: 20, after: 30 }],
    });
  });

  it("an org admin cannot approve past the org's limit: told to ask an operator, nothing changes", async () => {
    const req = await dev.quota.createQuotaRequest(webRequest(150));
    expect(await failure(admin.quota.approveQuotaRequest({ id: req.id }))).toEqual({
      code: "UNPROCESSABLE_CONTENT",
      message:
        "Instances: raising web from 20 to 150 needs 130 more, but Acme Corp has only 60 left to allocate (limit 100, 40 allocated to projects). Ask a cloud operator to approve this request (they can raise the organisation's limit), or lower another project's limit first.",
    });
    expect((await admin.quota.getQuotaRequest({ id: req.id })).status).toBe("pending");
    expect(await limitOf(demo.web.id)).toBe(20);

    // An operator's approval raises the org's limit just enough, in the same transaction.
    const decided = await ops.quota.approveQuotaRequest({ id: req.id });
    expect(decided.changes).toEqual([
      { scope: "project", resource: "instances", before: 20, after: 150 },
      { scope: "org", resource: "instances", before: 100, after: 170 },
    ]);
    expect(await limitOf(demo.web.id)).toBe(150);
    expect(await orgLimitOf()).toBe(170);
  });

  it("an org-level request is approved by operators only", async () => {
    const req = await admin.quota.createQuotaRequest({
      org: "acme",
      description: "Second region",
      priority: "Medium",
      resources: [{ resource: "instances", limit: 300 }],
    });
    expect(req.project).toBeNull();
    expect(await failure(admin.quota.approveQuotaRequest({ id: req.id }))).toEqual({
      code: "FORBIDDEN",
      message:
        "Organisation-level quota requests raise Acme Corp's own limits: only a cloud operator can approve them",
    });
    expect(await dev.quota.createQuotaRequest(webRequest(21)).then(() => "ok")).toBe("ok");
    expect(await failure(dev.quota.createQuotaRequest({ ...webRequest(300), project: undefined }))).toEqual({
      code: "FORBIDDEN",
      message:
        "You do not have the permission quota.request.create for the organisation: request an increase for one of your projects instead",
    });
    const decided = await ops.quota.approveQuotaRequest({ id: req.id });
    expect(decided.changes).toEqual([{ scope: "org", resource: "instances", before: 100, after: 300 }]);
    expect(await orgLimitOf()).toBe(300);
  });

  it("a rejection changes no limit and tells the requester why", async () => {
    const req = await dev.quota.createQuotaRequest(webRequest(40));
    const decided = await admin.quota.rejectQuotaRequest({ id: req.id, comment: "Use autoscaling" });
    expect(decided).toMatchObject({ status: "rejected", decisionComment: "Use autoscaling", changes: [] });
    expect(await limitOf(demo.web.id)).toBe(20);
    const again = await failure(admin.quota.approveQuotaRequest({ id: req.id }));
    expect(again.code).toBe("CONFLICT");
    expect(again.message).toMatch(
      /^This quota request was already rejected by admin@acme\.example at \d{4}-/,
    );
  });

  it("concurrent approve and reject end in exactly one state, every run", async () => {
    for (let run = 0; run < 10; run++) {
      await reset();
      const req = await dev.quota.createQuotaRequest(webRequest(25));
      const [approve, reject] = await Promise.allSettled([
        admin.quota.approveQuotaRequest({ id: req.id }),
        ops.quota.rejectQuotaRequest({ id: req.id, comment: "no" }),
      ]);
      const won = [approve, reject].filter((r) => r.status === "fulfilled");
      const lost = [approve, reject].filter((r): r is PromiseRejectedResult => r.status === "rejected");
      expect(won, `run ${run}`).toHaveLength(1);
      expect(lost, `run ${run}`).toHaveLength(1);
      const final = await admin.quota.getQuotaRequest({ id: req.id });
      const loser = lost[0]!.reason as TRPCError;
      expect(loser.code).toBe("CONFLICT");
      expect(loser.message).toContain(`already ${final.status}`);
      expect(await limitOf(demo.web.id), `run ${run}`).toBe(final.status === "approved" ? 25 : 20);
      const decisions = await t.db
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.targetId, req.id), eq(auditEvents.outcome, "success")));
      expect(decisions.map((d) => d.action).sort(), `run ${run}`).toEqual(
        [
          "quota.request.create",
          final.status === "approved" ? "quota.request.approve" : "quota.request.reject",
        ].sort(),
      );
    }
  });

  it("two concurrent approvals apply the limit once; the second is told it was already approved", async () => {
    const req = await dev.quota.createQuotaRequest(webRequest(26));
    const results = await Promise.allSettled([
      admin.quota.approveQuotaRequest({ id: req.id }),
      ops.quota.approveQuotaRequest({ id: req.id }),
    ]);
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(lost).toHaveLength(1);
    expect((lost[0]!.reason as TRPCError).message).toMatch(/^This quota request was already approved by/);
    expect(await limitOf(demo.web.id)).toBe(26);
  });

  it.each([
    [
      "a limit not above the current one",
      webRequest(20),
      "BAD_REQUEST",
      "resources.0.limit: the Instances limit of project web is already 20; ask for more than that",
    ],
    [
      "the same resource twice",
      {
        ...webRequest(30),
        resources: [
          { resource: "instances", limit: 30 },
          { resource: "instances", limit: 40 },
        ],
      },
      "BAD_REQUEST",
      "resources: name each resource once",
    ],
    [
      "no resources",
      { ...webRequest(30), resources: [] },
      "BAD_REQUEST",
      "resources: ask for at least one resource",
    ],
    [
      "no description",
      { ...webRequest(30), description: " " },
      "BAD_REQUEST",
      "description: say why the increase is needed",
    ],
    [
      "an unknown priority",
      { ...webRequest(30), priority: "Urgent" },
      "BAD_REQUEST",
      'priority: Invalid option: expected one of "High"|"Medium"|"Low"',
    ],
    [
      "a project the member cannot see",
      webRequest(30, { project: "data" }),
      "NOT_FOUND",
      "Project data not found",
    ],
  ])("refuses %s", async (_what, input, code, message) => {
    expect(await failure(dev.quota.createQuotaRequest(input as ReturnType<typeof webRequest>))).toEqual({
      code,
      message,
    });
  });

  it("lists what each caller may see, filters by status, and pages without gaps", async () => {
    const web = await dev.quota.createQuotaRequest(webRequest(30));
    const data = await admin.quota.createQuotaRequest({ ...webRequest(30), project: "data" });
    const orgLevel = await admin.quota.createQuotaRequest({ ...webRequest(300), project: undefined });
    await admin.quota.rejectQuotaRequest({ id: web.id });

    expect((await dev.quota.listQuotaRequests({ org: "acme" })).items.map((r) => r.id)).toEqual([web.id]);
    expect((await padmin.quota.listQuotaRequests({ org: "acme" })).items.map((r) => r.id)).toEqual([web.id]);
    const all = await viewer.quota.listQuotaRequests({ org: "acme" });
    expect(all.items.map((r) => r.id)).toEqual([orgLevel.id, data.id, web.id]);
    expect((await viewer.quota.listQuotaRequests({ org: "acme", status: "pending" })).items).toHaveLength(2);
    expect(
      (await viewer.quota.listQuotaRequests({ org: "acme", project: "data" })).items.map((r) => r.id),
    ).toEqual([data.id]);

    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const pageOf = await viewer.quota.listQuotaRequests({ org: "acme", limit: 1, cursor });
      seen.push(...pageOf.items.map((r) => r.id));
      cursor = pageOf.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual([orgLevel.id, data.id, web.id]);

    expect(await failure(viewer.quota.listQuotaRequests({ org: "acme", cursor: "garbage" }))).toEqual({
      code: "BAD_REQUEST",
      message: "cursor: not a cursor from this list; start without one",
    });
    const everyone = await ops.ops.listAllQuotaRequests({ status: "pending" });
    expect(everyone.items.map((r) => r.id)).toEqual([orgLevel.id, data.id]);
  });

  it("another tenant's request is NOT_FOUND, a project the caller cannot see too; readers cannot decide", async () => {
    const data = await admin.quota.createQuotaRequest({ ...webRequest(30), project: "data" });
    const missing = { code: "NOT_FOUND", message: `Quota request ${data.id} not found` };
    expect(await failure(globex.quota.getQuotaRequest({ id: data.id }))).toEqual(missing);
    expect(await failure(globex.quota.approveQuotaRequest({ id: data.id }))).toEqual(missing);
    expect(await failure(globex.quota.rejectQuotaRequest({ id: data.id }))).toEqual(missing);
    expect(await failure(dev.quota.getQuotaRequest({ id: data.id }))).toEqual(missing);
    expect((await failure(viewer.quota.approveQuotaRequest({ id: data.id }))).code).toBe("FORBIDDEN");
    const web = await dev.quota.createQuotaRequest(webRequest(30));
    expect((await failure(dev.quota.approveQuotaRequest({ id: web.id }))).code).toBe("FORBIDDEN");
    expect((await failure(padmin.quota.approveQuotaRequest({ id: web.id }))).code).toBe("FORBIDDEN");
    expect((await admin.quota.getQuotaRequest({ id: data.id })).status).toBe("pending");
  });
});

describe("operators: organisations and default quotas", () => {
  it("create an organisation with a new first admin, who is invited", async () => {
    const created = await ops.ops.createOrganization({
      name: "Initech",
      admin: { email: "Bill@Initech.example", name: "Bill Lumbergh" },
    });
    expect(created).toMatchObject({ slug: "initech", status: "active", admin: { status: "invited" } });
    const url = created.admin.invitation!.url;
    expect(url).toMatch(/^\/sign-in\/accept\?token=[\w-]{43}$/);
    const token = decodeURIComponent(url.split("token=")[1]!);
    const [user] = await t.db.select().from(users).where(eq(users.id, created.admin.id));
    expect(user).toMatchObject({
      status: "invited",
      inviteTokenHash: hashToken(token),
      name: "Bill Lumbergh",
    });
    const bindings = await t.db
      .select({ key: roles.key, scopeType: roleBindings.scopeType })
      .from(roleBindings)
      .innerJoin(roles, eq(roles.id, roleBindings.roleId))
      .where(and(eq(roleBindings.userId, user!.id), eq(roleBindings.orgId, created.id)));
    expect(bindings).toEqual([{ key: "org-admin", scopeType: "org" }]);
    const q = await ops.quota.getOrgQuotas({ org: "initech" });
    expect(q.limits.instances).toBe(100);
  });

  it("make an existing account the first admin at once, and refuse reserved or taken slugs", async () => {
    const created = await ops.ops.createOrganization({
      name: "Dev Shop",
      admin: { email: "dev@acme.example" },
    });
    expect(created.admin).toMatchObject({ status: "active", invitation: null });
    const devNow = await callerFor(t.db, "dev@acme.example");
    expect((await devNow.quota.getOrgQuotas({ org: created.slug })).org.slug).toBe("dev-shop");
    expect(
      await failure(ops.ops.createOrganization({ name: "Admin", admin: { email: "a@b.example" } })),
    ).toEqual({
      code: "BAD_REQUEST",
      message: "slug: admin is reserved for the console's own pages",
    });
    expect(
      await failure(
        ops.ops.createOrganization({ name: "Acme", slug: "acme", admin: { email: "a@b.example" } }),
      ),
    ).toEqual({ code: "CONFLICT", message: "An organization with the slug acme already exists" });
  });

  it("suspend an organisation: its members are refused at once, operators are not; reactivate", async () => {
    const created = await ops.ops.createOrganization({
      name: "Hooli",
      admin: { email: "viewer@acme.example" },
    });
    const v = await callerFor(t.db, "viewer@acme.example");
    await v.quota.getOrgQuotas({ org: "hooli" });
    const suspended = await ops.ops.updateOrganization({ org: created.id, status: "suspended" });
    expect(suspended.status).toBe("suspended");
    expect(await failure(v.quota.getOrgQuotas({ org: "hooli" }))).toEqual({
      code: "FORBIDDEN",
      message: "Organization hooli is suspended",
    });
    expect((await ops.quota.getOrgQuotas({ org: "hooli" })).org.slug).toBe("hooli");
    await ops.ops.updateOrganization({ org: "hooli", status: "active", name: "Hooli XYZ" });
    expect((await v.quota.getOrgQuotas({ org: "hooli" })).org.name).toBe("Hooli XYZ");
    expect(await failure(ops.ops.updateOrganization({ org: "nope", status: "active" }))).toEqual({
      code: "NOT_FOUND",
      message: "Organization nope not found",
    });
  });

  it("list every organisation with its usage, paged", async () => {
    await t.db
      .update(projectQuotas)
      .set({ used: 20 })
      .where(and(eq(projectQuotas.projectId, demo.web.id), eq(projectQuotas.resource, "instances")));
    await dev.quota.createQuotaRequest(webRequest(30));
    const first = await ops.ops.listOrganizations({ q: "acme" });
    expect(first.items).toHaveLength(1);
    expect(first.items[0]).toMatchObject({
      slug: "acme",
      projectCount: 2,
      pendingRequests: 1,
      limits: { instances: 100 },
      usage: { instances: 20 },
      allocated: { instances: 40 },
    });
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const p = await ops.ops.listOrganizations({ limit: 2, cursor });
      seen.push(...p.items.map((o) => o.slug));
      cursor = p.nextCursor ?? undefined;
    } while (cursor);
    const all = await ops.ops.listOrganizations({ limit: 500 });
    expect(seen).toEqual(all.items.map((o) => o.slug));
    expect(new Set(seen).size).toBe(seen.length);
  });

  it("change default quotas for organisations created afterwards, never project above org", async () => {
    expect(
      await failure(ops.ops.updateDefaultQuotas({ items: [{ resource: "clusters", projectLimit: 11 }] })),
    ).toEqual({
      code: "BAD_REQUEST",
      message:
        "items.0: the project default for Kubernetes clusters (11) cannot exceed the organisation default (10)",
    });
    const updated = await ops.ops.updateDefaultQuotas({
      items: [{ resource: "clusters", orgLimit: 12, projectLimit: 4 }],
    });
    expect(updated.items.find((i) => i.resource === "clusters")).toMatchObject({
      orgLimit: 12,
      projectLimit: 4,
    });
    const org = await ops.ops.createOrganization({
      name: "Umbrella",
      admin: { email: "u@umbrella.example" },
    });
    expect((await ops.quota.getOrgQuotas({ org: org.slug })).limits.clusters).toBe(12);
    expect((await ops.quota.getOrgQuotas({ org: "acme" })).limits.clusters).toBe(10);
    await ops.ops.updateDefaultQuotas({ items: [{ resource: "clusters", orgLimit: 10, projectLimit: 3 }] });
  });
});
