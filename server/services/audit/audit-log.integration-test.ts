// The activity log through the real procedures: every filter against a ground truth computed from
// the table, keyset pages without duplicates or gaps, the streamed export (CSV injection, JSON,
// cap), and the integrity check.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { TRPCError } from "@trpc/server";
import { and, desc, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { auditEvents, organizations, users } from "@/db/schema";
import { systemActor, type Actor } from "@/server/audit/actor";
import { writeAudit } from "@/server/audit/write";
import { handleAuditExport } from "@/server/http/audit-export";
import { issueApiToken } from "@/server/services/iam/tokens";
import { createOrganization } from "@/server/services/orgs";
import { formatZod } from "@/server/trpc";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { callerFor, seedPersonas, type Demo } from "@/test/personas";
import { exportChunks, planExport } from "./export";
import { resolveFilters } from "./query";

let t: TestDatabase;
let demo: Demo;
let server: Server;
let base: string;
const ids: Record<string, string> = {};

type Event = typeof auditEvents.$inferSelect;

function actorFor(email: string, type: Actor["type"] = "user"): Actor {
  return {
    userId: ids[email] ?? null,
    email,
    type,
    requestId: `req-${email}`,
    ip: "10.0.0.7",
    userAgent: "integration",
    audit: { written: false },
  };
}

const HOSTILE = [
  '=HYPERLINK("http://evil.example","click")',
  "+SUM(A1:A2)",
  "-2+3",
  "@cmd",
  "\tlead-tab",
  "\rlead-cr",
  'comma, "quotes" and\nnewline',
];

beforeAll(async () => {
  t = await createTestDatabase();
  demo = await seedPersonas(t.db);
  for (const u of await t.db.select({ id: users.id, email: users.email }).from(users)) ids[u.email] = u.id;
  const admin = await callerFor(t.db, "admin@acme.example");
  for (const name of ["alpha", "beta"]) await admin.resourcemanager.createProject({ org: "acme", name });
  // A varied log: actions, actors, outcomes, projects and targets, a few of each.
  const actions = [
    "compute.instance.create",
    "compute.instance.delete",
    "storage.volume.create",
    "iam.user.invite",
  ];
  const actors = ["admin@acme.example", "dev@acme.example", "viewer@acme.example"];
  const outcomes = ["success", "success", "failure", "denied"] as const;
  for (let i = 0; i < 60; i++) {
    const action = actions[i % actions.length]!;
    await writeAudit(t.db, actorFor(actors[i % actors.length]!), {
      action,
      orgId: demo.acme.id,
      projectId: i % 3 === 0 ? demo.web.id : i % 3 === 1 ? demo.data.id : null,
      target: {
        kind: action.split(".")[1]!,
        id: `t-${i}`,
        name: i % 5 === 0 ? `web-frontend-${i}` : `db-${i}`,
      },
      outcome: outcomes[i % outcomes.length],
      errorCode: outcomes[i % outcomes.length] === "success" ? null : "QUOTA_EXCEEDED",
      message: i % 7 === 0 ? "instances limit reached" : null,
      data: { i },
    });
  }
  // Another tenant's events must never show up in acme's log.
  const globexAdmin = await callerFor(t.db, "admin@globex.example");
  await globexAdmin.resourcemanager.createProject({ org: "globex", name: "alpha" });
  for (let i = 0; i < 5; i++) {
    await writeAudit(t.db, actorFor("admin@globex.example"), {
      action: "compute.instance.create",
      orgId: demo.globex.id,
      target: { kind: "instance", name: "web-frontend-globex" },
    });
  }
  server = createServer((req, res) => void handleAuditExport(req, res));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server?.close();
  await t.close();
});

/** Every acme event, newest first: the ground truth the filters are checked against. */
async function acmeEvents(): Promise<Event[]> {
  return t.db
    .select()
    .from(auditEvents)
    .where(eq(auditEvents.orgId, demo.acme.id))
    .orderBy(desc(auditEvents.createdAt), desc(auditEvents.id));
}

async function pageAll(input: Record<string, unknown>, limit: number, email = "viewer@acme.example") {
  const caller = await callerFor(t.db, email);
  const out: number[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await caller.audit.listEvents({ org: "acme", ...input, limit, cursor });
    expect(page.items.length).toBeLessThanOrEqual(limit);
    out.push(...page.items.map((e) => e.id));
    cursor = page.nextCursor ?? undefined;
    pages += 1;
    expect(pages).toBeLessThan(500);
  } while (cursor);
  return out;
}

async function errorOf(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await p;
  } catch (e) {
    // The wire formats zod errors as "field: message"; a caller sees the raw issues.
    if (e instanceof TRPCError)
      return { code: e.code, message: e.cause instanceof ZodError ? formatZod(e.cause) : e.message };
    throw e;
  }
  throw new Error("expected an error");
}

describe("listing the activity log", () => {
  it("pages through every event exactly once, newest first", async () => {
    const truth = (await acmeEvents()).map((e) => e.id);
    expect(truth.length).toBeGreaterThan(60);
    for (const limit of [1, 7, 50, 500]) expect(await pageAll({}, limit)).toEqual(truth);
  });

  it("keeps its place among events written in the same millisecond", async () => {
    const org = await t.db.transaction((tx) => createOrganization(tx, systemActor("test"), { name: "Ties" }));
    const at = new Date("2026-01-01T00:00:00.000Z");
    // Same timestamp for all: only the id tells them apart (a chain is not needed to list them).
    for (let i = 1; i <= 23; i++) {
      await t.owner.insert(auditEvents).values({
        chain: `ties-${org.id}`,
        seq: i,
        orgId: org.id,
        actorType: "system",
        action: "tie.test",
        outcome: "success",
        data: {},
        createdAt: at,
        prevHash: "x",
        hash: `h${i}`,
      });
    }
    const ops = await callerFor(t.db, "ops@cirrus.example");
    const seen: number[] = [];
    let cursor: string | undefined;
    do {
      const page = await ops.audit.listEvents({ org: org.slug, action: "tie.test", limit: 4, cursor });
      seen.push(...page.items.map((e) => e.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toHaveLength(23);
    expect(new Set(seen).size).toBe(23);
    expect(seen).toEqual([...seen].sort((a, b) => b - a));
  });

  const cases: [string, Record<string, unknown>, (e: Event) => boolean][] = [
    ["an exact action", { action: "compute.instance.delete" }, (e) => e.action === "compute.instance.delete"],
    ["an action prefix", { action: "compute.instance.*" }, (e) => e.action.startsWith("compute.instance.")],
    ["an actor by email", { actor: "DEV@acme.example" }, (e) => e.actorEmail === "dev@acme.example"],
    ["an actor by id", { actor: "USER:dev@acme.example" }, (e) => e.actorId === ids["dev@acme.example"]],
    ["a project by slug", { project: "web" }, (e) => e.projectId === demo.web.id],
    ["a project by id", { project: "PROJECT:data" }, (e) => e.projectId === demo.data.id],
    ["an outcome", { outcome: "denied" }, (e) => e.outcome === "denied"],
    ["a target kind", { targetKind: "volume" }, (e) => e.targetKind === "volume"],
    ["a word prefix of a target name", { q: "front" }, (e) => (e.targetName ?? "").includes("frontend")],
    ["a word inside an action", { q: "invite" }, (e) => e.action.includes("invite")],
    [
      "several words, all required",
      { q: "delete web" },
      (e) => e.action.includes("delete") && /(^|-)web/.test(e.targetName ?? ""),
    ],
    ["a message word", { q: "limit reached" }, (e) => (e.message ?? "").includes("limit reached")],
    [
      "filters combined",
      { action: "compute.instance.*", outcome: "success", project: "web" },
      (e) =>
        e.action.startsWith("compute.instance.") && e.outcome === "success" && e.projectId === demo.web.id,
    ],
  ];

  it.each(cases)("filters by %s", async (_name, raw, predicate) => {
    const input = { ...raw };
    if (input.actor === "USER:dev@acme.example") input.actor = ids["dev@acme.example"];
    if (input.project === "PROJECT:data") input.project = demo.data.id;
    const expected = (await acmeEvents()).filter(predicate).map((e) => e.id);
    expect(expected.length).toBeGreaterThan(0);
    expect(await pageAll(input, 4)).toEqual(expected);
  });

  it("filters by time range: from inclusive, to exclusive", async () => {
    const all = await acmeEvents();
    const mid = all[Math.floor(all.length / 2)]!.createdAt;
    const late = all[5]!.createdAt;
    const expected = all.filter((e) => e.createdAt >= mid && e.createdAt < late).map((e) => e.id);
    expect(expected.length).toBeGreaterThan(0);
    expect(await pageAll({ from: mid.toISOString(), to: late.toISOString() }, 6)).toEqual(expected);
  });

  it("answers the API's shape, with the project's slug and the event's details", async () => {
    const viewer = await callerFor(t.db, "viewer@acme.example");
    const page = await viewer.audit.listEvents({
      org: "acme",
      action: "resourcemanager.project.create",
      limit: 1,
    });
    expect(page.items[0]).toMatchObject({
      action: "resourcemanager.project.create",
      org: { id: demo.acme.id, slug: "acme" },
      project: { slug: "beta", name: "beta" },
      target: { kind: "project", name: "beta" },
      actor: { email: "admin@acme.example", type: "user" },
      outcome: "success",
      ip: "127.0.0.1",
      userAgent: "vitest",
    });
    expect(page.items[0]!.requestId).toBeTruthy();
    expect(page.items[0]!.data).toMatchObject({ slug: "beta" });
  });

  it.each([
    [{ cursor: "not-a-cursor" }, "BAD_REQUEST", /cursor: not a cursor/],
    [
      { from: "2026-02-01T00:00:00Z", to: "2026-01-01T00:00:00Z" },
      "BAD_REQUEST",
      /from: must be earlier than to/,
    ],
    [{ from: "yesterday" }, "BAD_REQUEST", /from: Invalid ISO datetime/],
    [{ project: "no-such-project" }, "BAD_REQUEST", /project: no project no-such-project/],
    [{ outcome: "maybe" }, "BAD_REQUEST", /outcome/],
    [{ action: "drop table;" }, "BAD_REQUEST", /action: use an action/],
  ])("refuses bad input %j with a message naming the field", async (input, code, message) => {
    const viewer = await callerFor(t.db, "viewer@acme.example");
    const err = await errorOf(viewer.audit.listEvents({ org: "acme", ...(input as object) }));
    expect(err.code).toBe(code);
    expect(err.message).toMatch(message);
  });

  it("is org-scoped: project roles are refused, other tenants see no organisation", async () => {
    expect(
      (await errorOf((await callerFor(t.db, "dev@acme.example")).audit.listEvents({ org: "acme" }))).code,
    ).toBe("FORBIDDEN");
    expect(
      (await errorOf((await callerFor(t.db, "admin@globex.example")).audit.listEvents({ org: "acme" }))).code,
    ).toBe("NOT_FOUND");
  });

  it("offers every action of the organisation as a facet, and no other tenant's", async () => {
    const facets = await (await callerFor(t.db, "viewer@acme.example")).audit.listFacets({ org: "acme" });
    const [distinct] = await t.db.execute<{ n: number }>(
      sql`select count(distinct action)::int as n from audit_events where org_id = ${demo.acme.id}`,
    );
    expect(facets.actions).toHaveLength(distinct!.n);
    expect(facets.actions).toContain("iam.user.invite");
    expect(facets.targetKinds).toEqual(expect.arrayContaining(["instance", "volume", "project"]));
    expect(facets.actors.map((a) => a.email)).toContain("dev@acme.example");
    expect(facets.actors.map((a) => a.email)).not.toContain("admin@globex.example");
  });
});

/** RFC 4180 reader for the checks (quoted cells, doubled quotes, CRLF). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(cell);
      cell = "";
    } else if (c === "\r" && text[i + 1] === "\n") {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
      i++;
    } else cell += c;
  }
  if (cell || row.length) rows.push([...row, cell]);
  return rows;
}

describe("exporting the activity log", () => {
  let adminToken: string;
  let devToken: string;

  beforeAll(async () => {
    for (const [i, name] of HOSTILE.entries()) {
      await writeAudit(t.db, actorFor("admin@acme.example"), {
        action: "compute.instance.update",
        orgId: demo.acme.id,
        target: { kind: "instance", id: `hostile-${i}`, name },
        message: name,
      });
    }
    adminToken = (await issueApiToken(t.db, ids["admin@acme.example"]!, { name: "export", expiresInDays: 1 }))
      .token;
    devToken = (await issueApiToken(t.db, ids["dev@acme.example"]!, { name: "export", expiresInDays: 1 }))
      .token;
  });

  const get = (path: string, token: string) =>
    fetch(`${base}/api/tenant/v1/organizations/acme/audit-events/export${path}`, {
      headers: { Authorization: `Bearer ${token}` },
    });

  it("streams a CSV whose cells cannot run as spreadsheet formulas", async () => {
    const res = await get("?format=csv&action=compute.instance.update", adminToken);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toMatch(
      /^attachment; filename="acme-activity-\d{8}T\d{6}Z\.csv"$/,
    );
    expect(res.headers.get("x-export-rows")).toBe(String(HOSTILE.length));
    expect(res.headers.get("x-export-truncated")).toBe("false");
    const rows = parseCsv(await res.text());
    const header = rows[0]!;
    expect(header.slice(0, 8)).toEqual([
      "time",
      "id",
      "seq",
      "actor_email",
      "actor_id",
      "actor_type",
      "action",
      "outcome",
    ]);
    const body = rows.slice(1);
    expect(body).toHaveLength(HOSTILE.length);
    const nameCol = header.indexOf("target_name");
    const msgCol = header.indexOf("message");
    // Newest first: the last hostile value written is the first row.
    const names = body.map((r) => r[nameCol]);
    expect(names).toEqual([...HOSTILE].reverse().map((v) => (/^[=+\-@\t\r]/.test(v) ? `'${v}` : v)));
    expect(body.map((r) => r[msgCol])).toEqual(names);
    for (const r of body) {
      expect(r).toHaveLength(header.length);
      for (const cell of r) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    }
  });

  it("exports JSON with the same filters as the list, and says what it holds", async () => {
    const res = await get("?format=json&q=front", adminToken);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as {
      organization: { slug: string };
      filters: Record<string, unknown>;
      rows: number;
      truncated: boolean;
      items: { id: number; createdAt: string }[];
    };
    const listed = await pageAll({ q: "front" }, 500, "admin@acme.example");
    expect(doc.organization.slug).toBe("acme");
    expect(doc.filters).toEqual({ q: "front" });
    expect(doc.truncated).toBe(false);
    expect(doc.rows).toBe(listed.length);
    expect(doc.items.map((e) => e.id)).toEqual(listed);
    expect(typeof doc.items[0]!.createdAt).toBe("string");
  });

  it("caps an export and says so", async () => {
    const org = { id: demo.acme.id, slug: "acme" };
    const resolved = await resolveFilters(t.db, org.id, {});
    const { plan, filters } = await planExport(t.db, org, resolved, "csv", 10);
    expect(plan).toMatchObject({ rows: 10, truncated: true, limit: 10 });
    let text = "";
    for await (const chunk of exportChunks(t.db, org, filters, plan, {}, 3)) text += chunk;
    const rows = parseCsv(text);
    expect(rows).toHaveLength(11);
    const newest = (await acmeEvents()).slice(0, 10).map((e) => String(e.id));
    expect(rows.slice(1).map((r) => r[1])).toEqual(newest);
  });

  it("records who exported what", async () => {
    await (await get("?format=csv&outcome=denied", adminToken)).text();
    const [event] = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.orgId, demo.acme.id), eq(auditEvents.action, "audit.event.export")))
      .orderBy(desc(auditEvents.id))
      .limit(1);
    expect(event).toMatchObject({ actorEmail: "admin@acme.example", outcome: "success" });
    expect(event!.data).toMatchObject({ format: "csv", filters: { outcome: "denied" }, truncated: false });
  });

  it.each([
    ["a project role", () => devToken, "", 403, "FORBIDDEN"],
    ["no credentials", () => "", "", 401, "UNAUTHENTICATED"],
    ["a bad format", () => adminToken, "?format=xlsx", 400, "INVALID_INPUT"],
    ["a bad filter", () => adminToken, "?from=soon", 400, "INVALID_INPUT"],
  ])("answers %s with a problem document", async (_name, token, query, status, code) => {
    const res = await get(query, token());
    expect(res.status).toBe(status);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(((await res.json()) as { code: string }).code).toBe(code);
  });

  it("hides another organisation's log behind a 404", async () => {
    const globex = (await issueApiToken(t.db, ids["admin@globex.example"]!, { name: "x", expiresInDays: 1 }))
      .token;
    const res = await get("", globex);
    expect(res.status).toBe(404);
  });
});

describe("verifying the activity log", () => {
  it("reports an intact chain with its head", async () => {
    const viewer = await callerFor(t.db, "viewer@acme.example");
    const res = await viewer.audit.verifyLog({ org: "acme" });
    const [head] = await t.db
      .select({ seq: auditEvents.seq, hash: auditEvents.hash })
      .from(auditEvents)
      .where(eq(auditEvents.chain, demo.acme.id))
      .orderBy(desc(auditEvents.seq))
      .limit(1);
    expect(res).toMatchObject({
      ok: true,
      checked: head!.seq,
      problem: null,
      last: { seq: head!.seq, hash: head!.hash },
    });
  });

  it("pinpoints a tampered event", async () => {
    const org = await t.db.transaction((tx) =>
      createOrganization(tx, systemActor("test"), { name: "Tamper" }),
    );
    for (let i = 0; i < 6; i++)
      await writeAudit(t.db, actorFor("admin@acme.example"), { action: "x.y.z", orgId: org.id, data: { i } });
    await t.owner.transaction(async (tx) => {
      await tx.execute(sql`set local session_replication_role = replica`);
      await tx.execute(
        sql`update audit_events set message = 'nothing to see' where chain = ${org.id} and seq = 4`,
      );
    });
    const ops = await callerFor(t.db, "ops@cirrus.example");
    const res = await ops.audit.verifyLog({ org: org.slug });
    expect(res).toMatchObject({ ok: false, checked: 3, problem: { kind: "altered", seq: 4 } });
    const [orgRow] = await t.db.select().from(organizations).where(eq(organizations.id, org.id));
    expect(orgRow).toBeTruthy();
  });

  it("is refused to project roles", async () => {
    const err = await errorOf(
      (await callerFor(t.db, "padmin@acme.example")).audit.verifyLog({ org: "acme" }),
    );
    expect(err.code).toBe("FORBIDDEN");
  });
});
