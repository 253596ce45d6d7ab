// Jobs through the real procedures: a project's list with filters and keyset pages, the
// organisation's list (active first) for each kind of reader, and one job, where another
// tenant's job is NOT_FOUND.
import { TRPCError } from "@trpc/server";
import { eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jobs, type JobStep } from "@/db/schema";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { callerFor, seedPersonas, type Demo } from "@/test/personas";

let t: TestDatabase;
let demo: Demo;
type JobRow = typeof jobs.$inferSelect;
let all: JobRow[];

const STATES = ["PENDING", "RUNNING", "RETRYING", "SUCCEEDED", "FAILED"] as const;
const ACTIVE = new Set(["PENDING", "RUNNING", "RETRYING"]);

beforeAll(async () => {
  t = await createTestDatabase();
  demo = await seedPersonas(t.db);
  const base = Date.parse("2026-03-01T12:00:00Z");
  const steps = (state: string): JobStep[] => [
    {
      name: "Create the project in every region",
      state:
        state === "SUCCEEDED"
          ? "SUCCEEDED"
          : state === "FAILED"
            ? "FAILED"
            : state === "RUNNING"
              ? "RUNNING"
              : "PENDING",
      startedAt: "2026-03-01T12:00:01.000Z",
      ...(state === "FAILED" ? { error: "Nova said no", finishedAt: "2026-03-01T12:00:02.000Z" } : {}),
    },
  ];
  const rows = Array.from({ length: 30 }, (_, i) => {
    const state = STATES[i % STATES.length]!;
    // Pairs share a timestamp so only the id orders them.
    return {
      orgId: demo.acme.id,
      projectId: i % 2 === 0 ? demo.web.id : demo.data.id,
      kind: i % 3 === 0 ? "project.delete" : "project.provision",
      targetKind: "project",
      targetId: i % 2 === 0 ? demo.web.id : demo.data.id,
      targetName: i % 2 === 0 ? "web" : "data",
      state,
      steps: steps(state),
      attempts: state === "RETRYING" ? 2 : 1,
      lastError: state === "FAILED" || state === "RETRYING" ? "Nova said no" : null,
      createdAt: new Date(base + Math.floor(i / 2) * 60_000),
    };
  });
  await t.db.insert(jobs).values(rows);
  await t.db.insert(jobs).values({
    orgId: demo.globex.id,
    kind: "project.provision",
    state: "RUNNING",
    steps: [],
  });
  all = await t.db.select().from(jobs);
});
afterAll(() => t.close());

const newestFirst = (a: JobRow, b: JobRow) =>
  b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

async function errorCode(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof TRPCError) return e.code;
    throw e;
  }
  return "ok";
}

describe("a project's jobs", () => {
  it("pages through the project's jobs newest first, none twice, none missed", async () => {
    const dev = await callerFor(t.db, "dev@acme.example");
    const expected = all
      .filter((j) => j.projectId === demo.web.id)
      .sort(newestFirst)
      .map((j) => j.id);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await dev.jobs.listProjectJobs({ project: "web", org: "acme", limit: 4, cursor });
      seen.push(...page.items.map((j) => j.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(expected);
  });

  it.each([
    [{ state: "FAILED" }, (j: JobRow) => j.state === "FAILED"],
    [{ state: "RUNNING,RETRYING" }, (j: JobRow) => j.state === "RUNNING" || j.state === "RETRYING"],
    [{ kind: "project.delete" }, (j: JobRow) => j.kind === "project.delete"],
    [
      { kind: "project.delete", state: "SUCCEEDED" },
      (j: JobRow) => j.kind === "project.delete" && j.state === "SUCCEEDED",
    ],
  ])("filters by %j", async (filter, predicate) => {
    const viewer = await callerFor(t.db, "viewer@acme.example");
    const expected = all
      .filter((j) => j.projectId === demo.data.id)
      .filter(predicate)
      .sort(newestFirst)
      .map((j) => j.id);
    expect(expected.length).toBeGreaterThan(0);
    const page = await viewer.jobs.listProjectJobs({ project: demo.data.id, ...filter, limit: 100 });
    expect(page.items.map((j) => j.id)).toEqual(expected);
  });

  it("shows each job's progress, title and target", async () => {
    const viewer = await callerFor(t.db, "viewer@acme.example");
    const page = await viewer.jobs.listProjectJobs({ project: demo.web.id, state: "FAILED", limit: 1 });
    expect(page.items[0]).toMatchObject({
      // The newest failed job of web is a deletion (see the rows above): the title comes from its workflow.
      kind: "project.delete",
      title: "Delete project",
      state: "FAILED",
      project: { id: demo.web.id, slug: "web", name: "web" },
      target: { kind: "project", name: "web" },
      progress: { done: 0, total: 1, current: "Create the project in every region" },
      lastError: "Nova said no",
      org: { slug: "acme" },
    });
  });

  it.each([
    ["a bad state", { state: "DONE" }, "BAD_REQUEST"],
    ["a bad cursor", { cursor: "abc" }, "BAD_REQUEST"],
  ])("refuses %s", async (_name, input, code) => {
    const viewer = await callerFor(t.db, "viewer@acme.example");
    expect(await errorCode(viewer.jobs.listProjectJobs({ project: demo.web.id, ...input }))).toBe(code);
  });

  it("hides another project from a project member, and every project from another tenant", async () => {
    expect(
      await errorCode(
        (await callerFor(t.db, "dev@acme.example")).jobs.listProjectJobs({ project: demo.data.id }),
      ),
    ).toBe("NOT_FOUND");
    expect(
      await errorCode(
        (await callerFor(t.db, "admin@globex.example")).jobs.listProjectJobs({ project: demo.web.id }),
      ),
    ).toBe("NOT_FOUND");
  });
});

describe("an organisation's jobs", () => {
  async function pageAll(email: string, input: Record<string, unknown>, limit: number): Promise<string[]> {
    const caller = await callerFor(t.db, email);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await caller.jobs.listOrgJobs({ org: "acme", ...input, limit, cursor });
      seen.push(...page.items.map((j) => j.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return seen;
  }

  const orgOrder = (rows: JobRow[]) => [
    ...rows.filter((j) => ACTIVE.has(j.state)).sort(newestFirst),
    ...rows.filter((j) => !ACTIVE.has(j.state)).sort(newestFirst),
  ];

  it.each([1, 3, 4, 5, 7, 100])(
    "lists running jobs first, then the newest, in pages of %i",
    async (limit) => {
      const acme = all.filter((j) => j.orgId === demo.acme.id);
      const active = acme.filter((j) => ACTIVE.has(j.state)).length;
      expect(active).toBeGreaterThan(0);
      expect(await pageAll("admin@acme.example", {}, limit)).toEqual(orgOrder(acme).map((j) => j.id));
    },
  );

  it("shows a project member only their projects' jobs", async () => {
    const web = all.filter((j) => j.projectId === demo.web.id);
    expect(await pageAll("dev@acme.example", {}, 6)).toEqual(orgOrder(web).map((j) => j.id));
    expect(await pageAll("padmin@acme.example", { state: "FAILED" }, 6)).toEqual(
      orgOrder(web.filter((j) => j.state === "FAILED")).map((j) => j.id),
    );
  });

  it("filters by project, and hides projects the reader cannot see", async () => {
    const data = all.filter((j) => j.projectId === demo.data.id);
    expect(await pageAll("viewer@acme.example", { project: "data" }, 5)).toEqual(
      orgOrder(data).map((j) => j.id),
    );
    expect(
      await errorCode(
        (await callerFor(t.db, "dev@acme.example")).jobs.listOrgJobs({ org: "acme", project: "data" }),
      ),
    ).toBe("NOT_FOUND");
  });

  it("offers the kinds of job run in the organisation", async () => {
    const kinds = await (await callerFor(t.db, "dev@acme.example")).jobs.listJobKinds({ org: "acme" });
    expect(kinds.map((k) => k.kind).sort()).toEqual(["project.delete", "project.provision"]);
    expect(kinds.find((k) => k.kind === "project.provision")?.title).toBe("Provision project");
  });
});

describe("one job", () => {
  const webJob = () => all.find((j) => j.projectId === demo.web.id && j.state === "FAILED")!;
  const dataJob = () => all.find((j) => j.projectId === demo.data.id)!;
  const globexJob = () => all.find((j) => j.orgId === demo.globex.id)!;

  it("shows its steps, attempts and last error", async () => {
    const job = await (await callerFor(t.db, "dev@acme.example")).jobs.getJob({ id: webJob().id });
    expect(job).toMatchObject({
      id: webJob().id,
      state: "FAILED",
      attempts: 1,
      lastError: "Nova said no",
      steps: [
        {
          name: "Create the project in every region",
          state: "FAILED",
          error: "Nova said no",
          startedAt: new Date("2026-03-01T12:00:01.000Z"),
          finishedAt: new Date("2026-03-01T12:00:02.000Z"),
        },
      ],
    });
  });

  it.each([
    ["a project member, another project's job", "dev@acme.example", dataJob, "NOT_FOUND"],
    ["another tenant", "admin@globex.example", webJob, "NOT_FOUND"],
    ["a tenant, the other tenant's job", "viewer@acme.example", globexJob, "NOT_FOUND"],
    ["an org reader", "viewer@acme.example", dataJob, "ok"],
    ["a project reader", "preader@acme.example", webJob, "ok"],
    ["a role with job.job.list but not job.job.get", "custom@acme.example", webJob, "FORBIDDEN"],
    ["an operator", "ops@cirrus.example", globexJob, "ok"],
  ])("answers %s", async (_name, email, job, expected) => {
    const caller = await callerFor(t.db, email);
    expect(await errorCode(caller.jobs.getJob({ id: job().id }))).toBe(expected);
  });

  it("answers a missing job like a hidden one, and a malformed id as bad input", async () => {
    const admin = await callerFor(t.db, "admin@acme.example");
    expect(await errorCode(admin.jobs.getJob({ id: "00000000-0000-4000-8000-000000000000" }))).toBe(
      "NOT_FOUND",
    );
    expect(await errorCode(admin.jobs.getJob({ id: "nope" }))).toBe("BAD_REQUEST");
  });

  it("keeps a deleted project's jobs readable to the organisation", async () => {
    const [row] = await t.db
      .insert(jobs)
      .values({
        orgId: demo.acme.id,
        projectId: "11111111-1111-4111-8111-111111111111",
        kind: "project.delete",
        state: "SUCCEEDED",
      })
      .returning();
    const job = await (await callerFor(t.db, "viewer@acme.example")).jobs.getJob({ id: row!.id });
    expect(job.project).toEqual({ id: "11111111-1111-4111-8111-111111111111", slug: null, name: null });
    expect(await errorCode((await callerFor(t.db, "dev@acme.example")).jobs.getJob({ id: row!.id }))).toBe(
      "NOT_FOUND",
    );
    await t.db.delete(jobs).where(inArray(jobs.id, [row!.id]));
    expect(await t.db.select().from(jobs).where(eq(jobs.id, row!.id))).toEqual([]);
  });
});
