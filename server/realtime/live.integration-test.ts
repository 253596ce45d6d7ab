// The live channel end to end: NOTIFY from real transactions, one LISTEN connection, and the
// subscriptions delivering only what each reader may see, with their grants re-checked.
import { isTrackedEnvelope, TRPCError } from "@trpc/server";
import { and, eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { roleBindings } from "@/db/schema";
import { bind, ensureUser } from "@/db/seed/demo";
import { systemActor } from "@/server/audit/actor";
import { createSession, revokeSession } from "@/server/auth/sessions";
import { createJob } from "@/server/jobs/jobs";
import { appRouter } from "@/server/routers/_app";
import type { JobLiveMessage } from "@/server/routers/jobs/watch-jobs";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { callerFor, contextFor, seedPersonas, type Demo } from "@/test/personas";
import { setLiveGrantsTtl } from "./access";
import { hubListenerCount, hubListening, stopHub } from "./hub";

let t: TestDatabase;
let demo: Demo;
const aborts: AbortController[] = [];

beforeAll(async () => {
  t = await createTestDatabase();
  demo = await seedPersonas(t.db);
  setLiveGrantsTtl(0);
});
afterEach(() => {
  for (const a of aborts.splice(0)) a.abort();
});
afterAll(async () => {
  await stopHub();
  await t.close();
});

/** A caller on a real session (the stream re-checks it), whose subscriptions end with the test. */
async function liveCaller(email: string) {
  const ctx = await contextFor(t.db, email);
  const sessionId = await createSession(t.db, ctx.principal!.userId, null, null);
  ctx.principal = { ...ctx.principal!, sessionId };
  const abort = new AbortController();
  aborts.push(abort);
  return { caller: appRouter.createCaller(ctx, { signal: abort.signal }), sessionId, abort };
}

/**
 * Reads from a subscription in the background, once it listens; `take` waits for what arrived.
 * (A subscription's stream starts on first read, so the test waits for it before writing.)
 */
async function collect<T = Tracked>(iterable: AsyncIterable<unknown>) {
  const before = hubListenerCount();
  const feed = reader<T>(iterable);
  await feed.until(() => hubListenerCount() > before || feed.ended);
  await hubListening();
  return feed;
}

function reader<T>(iterable: AsyncIterable<unknown>) {
  const got: T[] = [];
  let error: unknown = null;
  let ended = false;
  const done = (async () => {
    try {
      // A caller sees tracked events as envelopes; over SSE they arrive as { id, data }.
      for await (const v of iterable) got.push((isTrackedEnvelope(v) ? { id: v[0], data: v[1] } : v) as T);
    } catch (e) {
      error = e;
    } finally {
      ended = true;
    }
  })();
  const until = async (pred: () => boolean, ms = 5000) => {
    const end = Date.now() + ms;
    while (!pred() && Date.now() < end) await new Promise((r) => setTimeout(r, 25));
  };
  return {
    got,
    done,
    get error() {
      return error;
    },
    get ended() {
      return ended;
    },
    async take(n: number, ms = 5000) {
      await until(() => got.length >= n || ended, ms);
      return got.slice(0, n);
    },
    /** Waits a moment so that anything that would wrongly arrive has the time to. */
    async settle(ms = 600) {
      await new Promise((r) => setTimeout(r, ms));
      return got;
    },
    until,
  };
}

type Tracked = { id: string; data: unknown };
type AuditData =
  | { kind: "event"; event: { id: number; action: string; target: { name: string | null } | null } }
  | { kind: "resync" };
const auditEvent = (m: { id: string; data: unknown }) => m.data as AuditData;

describe("the activity log's live feed", () => {
  it("delivers the organisation's new events, and nothing of another tenant", async () => {
    const { caller } = await liveCaller("viewer@acme.example");
    const feed = await collect(await caller.audit.live({ org: "acme" }));
    await (
      await callerFor(t.db, "admin@globex.example")
    ).resourcemanager.createProject({ org: "globex", name: "gx-live" });
    await (
      await callerFor(t.db, "admin@acme.example")
    ).resourcemanager.createProject({ org: "acme", name: "live-one" });
    const [first] = await feed.take(1);
    expect(auditEvent(first!)).toMatchObject({
      kind: "event",
      event: { action: "resourcemanager.project.create", target: { name: "live-one" } },
    });
    expect(first!.id).toBe(
      String(
        auditEvent(first!).kind === "event" && (auditEvent(first!) as { event: { id: number } }).event.id,
      ),
    );
    const all = await feed.settle();
    expect(all.map((m) => JSON.stringify(m.data))).not.toContain("gx-live");
    expect(all.every((m) => !JSON.stringify(m.data).includes("gx-live"))).toBe(true);
  });

  it("applies the reader's filters", async () => {
    const { caller } = await liveCaller("viewer@acme.example");
    const feed = await collect(
      await caller.audit.live({ org: "acme", action: "resourcemanager.project.update" }),
    );
    const admin = await callerFor(t.db, "admin@acme.example");
    await admin.resourcemanager.createProject({ org: "acme", name: "filtered-out" });
    await admin.resourcemanager.updateProject({ project: demo.web.id, description: "renamed live" });
    const [m] = await feed.take(1);
    expect(auditEvent(m!)).toMatchObject({
      kind: "event",
      event: { action: "resourcemanager.project.update" },
    });
    expect((await feed.settle()).length).toBe(1);
  });

  it("replays what a reconnecting reader missed (Last-Event-ID)", async () => {
    const admin = await callerFor(t.db, "admin@acme.example");
    const viewer = await callerFor(t.db, "viewer@acme.example");
    const before = await viewer.audit.listEvents({ org: "acme", limit: 1 });
    const lastSeen = before.items[0]!.id;
    await admin.resourcemanager.createProject({ org: "acme", name: "missed-1" });
    await admin.resourcemanager.createProject({ org: "acme", name: "missed-2" });
    const { caller } = await liveCaller("viewer@acme.example");
    const feed = await collect(
      await caller.audit.live({
        org: "acme",
        action: "resourcemanager.project.create",
        lastEventId: String(lastSeen),
      }),
    );
    await feed.until(() => feed.got.filter((m) => JSON.stringify(m.data).includes("missed-2")).length > 0);
    const names = feed.got
      .map(auditEvent)
      .filter((d) => d.kind === "event")
      .map((d) => (d as { event: { target: { name: string } } }).event.target.name);
    expect(names).toEqual(expect.arrayContaining(["missed-1", "missed-2"]));
    expect(names.indexOf("missed-1")).toBeLessThan(names.indexOf("missed-2"));
  });

  it("refuses project roles and hides the organisation from other tenants", async () => {
    for (const [email, code] of [
      ["dev@acme.example", "FORBIDDEN"],
      ["admin@globex.example", "NOT_FOUND"],
    ] as const) {
      const { caller } = await liveCaller(email);
      await expect(caller.audit.live({ org: "acme" })).rejects.toMatchObject({ code });
    }
  });

  it("stops when the reader loses the permission, and when the session ends", async () => {
    const auditor = await ensureUser(t.db, "auditor@acme.example", "Audrey Auditor", "irrelevant-password");
    await bind(t.db, auditor, "org-reader", { orgId: demo.acme.id });
    const viewer = await liveCaller("auditor@acme.example");
    const feed = await collect(await viewer.caller.audit.live({ org: "acme" }));
    const admin = await callerFor(t.db, "admin@acme.example");
    await admin.resourcemanager.createProject({ org: "acme", name: "still-allowed" });
    await feed.take(1);
    await t.db
      .delete(roleBindings)
      .where(and(eq(roleBindings.userId, auditor), eq(roleBindings.orgId, demo.acme.id)));
    await admin.resourcemanager.createProject({ org: "acme", name: "after-revocation" });
    await feed.until(() => feed.ended);
    expect(feed.ended).toBe(true);
    expect(feed.error).toBeInstanceOf(TRPCError);
    expect((feed.error as TRPCError).code).toBe("FORBIDDEN");
    expect(feed.got.some((m) => JSON.stringify(m.data).includes("after-revocation"))).toBe(false);

    const other = await liveCaller("admin@acme.example");
    const feed2 = await collect(await other.caller.audit.live({ org: "acme" }));
    await revokeSession(t.db, other.sessionId);
    await admin.resourcemanager.createProject({ org: "acme", name: "after-sign-out" });
    await feed2.until(() => feed2.ended);
    expect((feed2.error as TRPCError).code).toBe("UNAUTHORIZED");
    expect(feed2.got).toEqual([]);
  });

  it("lets go of the hub when the reader leaves", async () => {
    const { caller, abort } = await liveCaller("admin@acme.example");
    const feed = await collect(await caller.audit.live({ org: "acme" }));
    await feed.until(() => hubListenerCount() > 0);
    const during = hubListenerCount();
    abort.abort();
    await feed.done;
    expect(hubListenerCount()).toBe(during - 1);
  });
});

describe("live job updates", () => {
  async function newJob(projectId: string | null) {
    return t.db.transaction((tx) =>
      createJob(tx, systemActor("live-test"), {
        kind: "project.provision",
        orgId: demo.acme.id,
        projectId,
        target: { kind: "project", id: projectId ?? demo.acme.id, name: "x" },
      }),
    );
  }

  it("shows a project member only their project's jobs, and an org reader all", async () => {
    const dev = await liveCaller("dev@acme.example");
    const viewer = await liveCaller("viewer@acme.example");
    const devFeed = await collect<JobLiveMessage>(await dev.caller.jobs.live({ org: "acme" }));
    const viewerFeed = await collect<JobLiveMessage>(await viewer.caller.jobs.live({ org: "acme" }));
    const dataJob = await newJob(demo.data.id);
    const webJob = await newJob(demo.web.id);
    await viewerFeed.take(2);
    await devFeed.take(1);
    await devFeed.settle();
    expect(viewerFeed.got.map((m) => m.kind === "job" && m.jobId).sort()).toEqual(
      [dataJob.id, webJob.id].sort(),
    );
    expect(devFeed.got).toEqual([
      { kind: "job", jobId: webJob.id, projectId: demo.web.id, state: "PENDING" },
    ]);
  });

  it("narrows to one project or one job", async () => {
    const viewer = await liveCaller("viewer@acme.example");
    const projectFeed = await collect<JobLiveMessage>(
      await viewer.caller.jobs.live({ org: "acme", project: "data" }),
    );
    const first = await newJob(demo.web.id);
    const jobFeed = await collect<JobLiveMessage>(
      await viewer.caller.jobs.live({ org: "acme", jobId: first.id }),
    );
    const second = await newJob(demo.data.id);
    await projectFeed.take(1);
    await projectFeed.settle();
    expect(projectFeed.got.map((m) => m.kind === "job" && m.jobId)).toEqual([second.id]);
    expect(jobFeed.got).toEqual([]);
  });

  it("refuses a project the reader cannot see", async () => {
    const dev = await liveCaller("dev@acme.example");
    await expect(dev.caller.jobs.live({ org: "acme", project: "data" })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });
});
