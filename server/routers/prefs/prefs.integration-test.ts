import { TRPCError } from "@trpc/server";
import { and, desc, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { auditEvents, notifications, resources, users } from "@/db/schema";
import { createNotification } from "@/server/services/prefs";
import { formatZod } from "@/server/trpc";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { callerFor, seedPersonas, type Demo } from "@/test/personas";

let t: TestDatabase;
let demo: Demo;

async function userId(email: string): Promise<string> {
  const [u] = await t.db.select({ id: users.id }).from(users).where(eq(users.email, email));
  return u!.id;
}

async function failure(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await p;
  } catch (e) {
    // Clients see zod failures formatted as "field: message" (the error formatter); do the same here.
    if (e instanceof TRPCError)
      return { code: e.code, message: e.cause instanceof ZodError ? formatZod(e.cause) : e.message };
    throw e;
  }
  throw new Error("expected a failure");
}

async function lastAudit(action: string, email: string) {
  const [row] = await t.db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.action, action), eq(auditEvents.actorEmail, email)))
    .orderBy(desc(auditEvents.createdAt), desc(auditEvents.seq))
    .limit(1);
  return row;
}

beforeAll(async () => {
  t = await createTestDatabase();
  demo = await seedPersonas(t.db);
  // Inventory rows in each project and org, named so a search hits several.
  const rows = [
    { kind: "compute.instance", orgId: demo.acme.id, projectId: demo.web.id, name: "web-frontend-1" },
    { kind: "compute.instance", orgId: demo.acme.id, projectId: demo.web.id, name: "web-frontend-2" },
    { kind: "compute.instance", orgId: demo.acme.id, projectId: demo.data.id, name: "data-warehouse" },
    { kind: "storage.volume", orgId: demo.acme.id, projectId: demo.data.id, name: "web-backup" },
  ];
  for (const r of rows) await t.db.insert(resources).values({ ...r, region: "region-one", status: "ACTIVE" });
  const [globexProject] = await t.db.execute<{ id: string }>(
    sql`select id from projects where org_id = ${demo.globex.id} limit 1`,
  );
  if (globexProject)
    await t.db.insert(resources).values({
      kind: "compute.instance",
      orgId: demo.globex.id,
      projectId: globexProject.id,
      name: "web-globex-secret",
      region: "region-one",
      status: "ACTIVE",
    });
});
afterAll(() => t.close());

describe("preferences", () => {
  it("answers defaults before anything is saved", async () => {
    const me = await callerFor(t.db, "dev@acme.example");
    expect(await me.prefs.getPreferences()).toEqual({
      theme: "system",
      defaultOrg: null,
      defaultProject: null,
      defaultRegion: null,
      tablePageSize: 50,
    });
  });

  it("merges a patch, keeps the rest, and audits the change in the same transaction", async () => {
    const me = await callerFor(t.db, "admin@acme.example");
    await me.prefs.updatePreferences({ theme: "dark" });
    const after = await me.prefs.updatePreferences({
      defaultOrg: "ACME",
      defaultProject: "web",
      tablePageSize: 25,
    });
    expect(after).toEqual({
      theme: "dark",
      defaultOrg: "acme",
      defaultProject: "web",
      defaultRegion: null,
      tablePageSize: 25,
    });
    expect(await me.prefs.getPreferences()).toEqual(after);
    const event = await lastAudit("prefs.preferences.update", "admin@acme.example");
    expect(event?.outcome).toBe("success");
    expect(event?.data).toMatchObject({ changed: ["defaultOrg", "defaultProject", "tablePageSize"] });
  });

  it("clears the default project when the default org changes", async () => {
    const me = await callerFor(t.db, "admin@acme.example");
    const after = await me.prefs.updatePreferences({ defaultOrg: null });
    expect(after.defaultProject).toBeNull();
    expect(after.theme).toBe("dark");
  });

  it.each([
    [{ theme: "neon" }, "BAD_REQUEST", /theme/],
    [{ tablePageSize: 33 }, "BAD_REQUEST", /tablePageSize: must be one of 10, 25, 50, 100, 200/],
    [{ defaultOrg: "globex" }, "BAD_REQUEST", /defaultOrg: organization globex not found/],
    [
      { defaultOrg: "acme", defaultProject: "nope" },
      "BAD_REQUEST",
      /defaultProject: project nope not found in acme/,
    ],
    [{ defaultProject: "web" }, "BAD_REQUEST", /defaultProject: set defaultOrg first/],
    [{ colour: "red" }, "BAD_REQUEST", /colour/],
  ])("refuses %j", async (patch, code, message) => {
    const me = await callerFor(t.db, "dev@acme.example");
    const err = await failure(me.prefs.updatePreferences(patch as never));
    expect(err.code).toBe(code);
    expect(err.message).toMatch(message);
  });

  it("does not let a project member pick a project they cannot see", async () => {
    const me = await callerFor(t.db, "dev@acme.example");
    const err = await failure(me.prefs.updatePreferences({ defaultOrg: "acme", defaultProject: "data" }));
    expect(err.message).toMatch(/project data not found/);
    expect(
      (await me.prefs.updatePreferences({ defaultOrg: "acme", defaultProject: "web" })).defaultProject,
    ).toBe("web");
  });

  it("tolerates a stored value that no longer validates", async () => {
    const id = await userId("viewer@acme.example");
    await t.db.execute(
      sql`insert into user_preferences (user_id, prefs) values (${id}, ${JSON.stringify({ theme: "sepia", tablePageSize: 100 })}::jsonb)`,
    );
    const me = await callerFor(t.db, "viewer@acme.example");
    expect(await me.prefs.getPreferences()).toMatchObject({ theme: "system", tablePageSize: 100 });
  });

  it("needs a signed-in caller", async () => {
    const anon = await callerFor(t.db, null);
    expect((await failure(anon.prefs.getPreferences())).code).toBe("UNAUTHORIZED");
    expect((await failure(anon.prefs.updatePreferences({ theme: "dark" }))).code).toBe("UNAUTHORIZED");
  });
});

describe("saved views", () => {
  it("creates, lists by kind, and deletes the caller's own views", async () => {
    const me = await callerFor(t.db, "dev@acme.example");
    const v = await me.prefs.createSavedView({
      kind: "iam.user",
      name: "Suspended",
      query: "f.status=suspended",
    });
    expect((await lastAudit("prefs.savedview.create", "dev@acme.example"))?.targetId).toBe(v.id);
    await me.prefs.createSavedView({ kind: "compute.instance", name: "Errors", query: "f.status=ERROR" });
    expect((await me.prefs.listSavedViews({ kind: "iam.user" })).items.map((x) => x.name)).toEqual([
      "Suspended",
    ]);
    expect((await me.prefs.listSavedViews({})).items).toHaveLength(2);
    await me.prefs.deleteSavedView({ id: v.id });
    expect((await me.prefs.listSavedViews({ kind: "iam.user" })).items).toEqual([]);
    expect((await lastAudit("prefs.savedview.delete", "dev@acme.example"))?.targetId).toBe(v.id);
  });

  it("refuses a duplicate name in the same list (any case)", async () => {
    const me = await callerFor(t.db, "dev@acme.example");
    await me.prefs.createSavedView({ kind: "jobs.job", name: "Failed", query: "f.state=FAILED" });
    const err = await failure(me.prefs.createSavedView({ kind: "jobs.job", name: "failed", query: "" }));
    expect(err).toEqual({
      code: "CONFLICT",
      message: 'You already have a view called "failed" for this list',
    });
  });

  it.each([
    [{ kind: "Bad Kind", name: "x", query: "" }, /kind/],
    [{ kind: "iam.user", name: "", query: "" }, /name/],
    [{ kind: "iam.user", name: "x", query: "?q=a" }, /query: a URL search string without \? or #/],
  ])("validates %j", async (input, message) => {
    const me = await callerFor(t.db, "dev@acme.example");
    const err = await failure(me.prefs.createSavedView(input));
    expect(err.code).toBe("BAD_REQUEST");
    expect(err.message).toMatch(message);
  });

  it("hides other users' views: deleting one is NOT_FOUND and leaves it in place", async () => {
    const owner = await callerFor(t.db, "admin@acme.example");
    const v = await owner.prefs.createSavedView({ kind: "iam.user", name: "Mine", query: "q=a" });
    const other = await callerFor(t.db, "admin@globex.example");
    expect((await other.prefs.listSavedViews({ kind: "iam.user" })).items).toEqual([]);
    const err = await failure(other.prefs.deleteSavedView({ id: v.id }));
    expect(err).toEqual({ code: "NOT_FOUND", message: `Saved view ${v.id} not found` });
    expect((await owner.prefs.listSavedViews({ kind: "iam.user" })).items.map((x) => x.id)).toContain(v.id);
  });
});

describe("notifications", () => {
  let ids: string[] = [];
  beforeAll(async () => {
    const dev = await userId("dev@acme.example");
    const admin = await userId("admin@acme.example");
    ids = [];
    for (let i = 0; i < 5; i++) {
      const n = await createNotification(t.db, {
        userId: dev,
        orgId: demo.acme.id,
        kind: "quota.request.approved",
        title: `Request ${i} approved`,
        link: "/acme/quota-requests",
      });
      ids.push(n.id);
    }
    await createNotification(t.db, { userId: admin, kind: "job.failed", title: "Not yours" });
  });

  it("lists the caller's own, newest first, with the unread count and a cursor", async () => {
    const me = await callerFor(t.db, "dev@acme.example");
    const first = await me.prefs.listNotifications({ limit: 3 });
    expect(first.unreadCount).toBe(5);
    expect(first.items).toHaveLength(3);
    expect(first.items.every((n) => n.title.startsWith("Request"))).toBe(true);
    const second = await me.prefs.listNotifications({ limit: 3, cursor: first.nextCursor! });
    expect(second.items).toHaveLength(2);
    expect(second.nextCursor).toBeNull();
    const all = [...first.items, ...second.items].map((n) => n.id);
    expect(new Set(all).size).toBe(5);
    expect(all.sort()).toEqual([...ids].sort());
  });

  it("loses no row when several share a timestamp (one transaction)", async () => {
    const reader = await userId("preader@acme.example");
    await t.db.transaction(async (tx) => {
      for (let i = 0; i < 7; i++)
        await createNotification(tx, { userId: reader, kind: "test", title: `Same time ${i}` });
    });
    const me = await callerFor(t.db, "preader@acme.example");
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await me.prefs.listNotifications({ limit: 2, cursor });
      seen.push(...page.items.map((n) => n.title));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen.sort()).toEqual(Array.from({ length: 7 }, (_, i) => `Same time ${i}`));
  });

  it("refuses a forged cursor", async () => {
    const me = await callerFor(t.db, "dev@acme.example");
    const err = await failure(me.prefs.listNotifications({ limit: 3, cursor: "garbage" }));
    expect(err).toEqual({ code: "BAD_REQUEST", message: "cursor: not a cursor from this list" });
  });

  it("marks some read, then all, and never touches another user's", async () => {
    const me = await callerFor(t.db, "dev@acme.example");
    const admin = await callerFor(t.db, "admin@acme.example");
    const adminBefore = await admin.prefs.listNotifications({});
    const adminId = adminBefore.items[0]!.id;
    // Another user's id is silently not the caller's: nothing changes.
    expect(await me.prefs.markNotificationsRead({ ids: [ids[0]!, adminId] })).toEqual({
      updated: 1,
      unreadCount: 4,
    });
    expect((await admin.prefs.listNotifications({})).unreadCount).toBe(adminBefore.unreadCount);
    const unread = await me.prefs.listNotifications({ unreadOnly: "true" });
    expect(unread.items.map((n) => n.id)).not.toContain(ids[0]);
    expect(await me.prefs.markNotificationsRead({ all: true })).toEqual({ updated: 4, unreadCount: 0 });
    const event = await lastAudit("prefs.notification.read", "dev@acme.example");
    expect(event?.data).toMatchObject({ updated: 4, all: true });
    const [row] = await t.db.select().from(notifications).where(eq(notifications.id, ids[1]!));
    expect(row?.readAt).toBeInstanceOf(Date);
  });

  it("asks for ids or all", async () => {
    const me = await callerFor(t.db, "dev@acme.example");
    const err = await failure(me.prefs.markNotificationsRead({}));
    expect(err).toEqual({
      code: "BAD_REQUEST",
      message: "ids: name the notifications to mark, or pass all: true",
    });
  });
});

describe("search", () => {
  const names = async (email: string, q: string, org?: string) => {
    const me = await callerFor(t.db, email);
    return (await me.prefs.search({ q, org, limit: 20 })).items.map((h) => `${h.type}:${h.name}`);
  };

  it("finds projects and resources the org admin can see, prefix matches first", async () => {
    const hits = await names("admin@acme.example", "web");
    expect(hits.slice(0, 4).sort()).toEqual(
      ["project:web", "resource:web-backup", "resource:web-frontend-1", "resource:web-frontend-2"].sort(),
    );
    expect(hits).not.toContain("resource:web-globex-secret");
    expect(hits[0]).toBe("project:web");
  });

  it("gives a project member only their project's resources", async () => {
    const hits = await names("dev@acme.example", "w");
    expect(hits).toContain("resource:web-frontend-1");
    expect(hits).not.toContain("resource:web-backup"); // in data, which dev cannot see
    expect(hits).not.toContain("resource:data-warehouse");
    expect(hits).not.toContain("project:data");
  });

  it("hides resources whose list permission the caller lacks", async () => {
    // The custom role holds only job.job.list at org scope: it sees projects but no instances.
    const hits = await names("custom@acme.example", "web");
    expect(hits).toContain("project:web");
    expect(hits.filter((h) => h.startsWith("resource:"))).toEqual([]);
  });

  it("matches by substring, case-insensitively, and limits by org", async () => {
    expect(await names("ops@cirrus.example", "WAREHOUSE")).toEqual(["resource:data-warehouse"]);
    expect(await names("ops@cirrus.example", "web", "globex")).toEqual(["resource:web-globex-secret"]);
    expect(await names("admin@globex.example", "frontend")).toEqual([]);
  });

  it("treats LIKE wildcards as text", async () => {
    expect(await names("ops@cirrus.example", "%")).toEqual([]);
    expect(await names("ops@cirrus.example", "_")).toEqual([]);
  });

  it("validates the query", async () => {
    const me = await callerFor(t.db, "dev@acme.example");
    expect((await failure(me.prefs.search({ q: "  ", limit: 5 }))).code).toBe("BAD_REQUEST");
  });
});

describe("resource counts", () => {
  const counts = async (email: string, project?: string) => {
    const me = await callerFor(t.db, email);
    return Object.fromEntries(
      (await me.prefs.countResources({ org: "acme", project })).items.map((i) => [i.kind, i.count]),
    );
  };

  it("counts what the caller may list, per kind", async () => {
    expect(await counts("admin@acme.example")).toEqual({ "compute.instance": 3, "storage.volume": 1 });
    expect(await counts("admin@acme.example", "data")).toEqual({
      "compute.instance": 1,
      "storage.volume": 1,
    });
    expect(await counts("dev@acme.example")).toEqual({ "compute.instance": 2 });
  });

  it("hides a project the caller cannot see, and another org", async () => {
    const dev = await callerFor(t.db, "dev@acme.example");
    const err = await failure(dev.prefs.countResources({ org: "acme", project: "data" }));
    expect(err).toEqual({ code: "NOT_FOUND", message: "Project data not found" });
    const globex = await callerFor(t.db, "admin@globex.example");
    expect((await failure(globex.prefs.countResources({ org: "acme" }))).code).toBe("NOT_FOUND");
  });
});
