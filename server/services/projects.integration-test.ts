// Projects through the real procedure ladder: reserved slugs, the latest lifecycle job in lists,
// rename, and delete refused (409, with counts) while resources remain.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jobs, projects, resources } from "@/db/schema";
import { failure, session, successEvents } from "@/server/services/iam/iam-test-helpers";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { callerFor, seedPersonas, type Demo } from "@/test/personas";
import { RESERVED_PROJECT_SLUGS } from "./projects";

let t: TestDatabase;
let demo: Demo;

beforeAll(async () => {
  t = await createTestDatabase();
  demo = await seedPersonas(t.db);
});
afterAll(() => t.close());

describe("projects", () => {
  it.each(RESERVED_PROJECT_SLUGS.map((s) => [s]))("refuses the reserved slug %s", async (slug) => {
    const admin = await callerFor(t.db, "admin@acme.example");
    expect(
      await failure(admin.resourcemanager.createProject({ org: "acme", name: "Any", slug })),
    ).toMatchObject({
      code: "BAD_REQUEST",
      appCode: "INVALID_INPUT",
      message: `slug: ${slug} is reserved by the console; choose another slug (reserved: projects, iam, activity, quotas, quota-requests, jobs, settings, admin)`,
    });
  });

  it("refuses a reserved slug derived from the name", async () => {
    const admin = await callerFor(t.db, "admin@acme.example");
    expect(
      await failure(admin.resourcemanager.createProject({ org: "acme", name: "Settings" })),
    ).toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringMatching(/^slug: settings is reserved/) as unknown as string,
    });
  });

  it.each([
    [{ name: "x", slug: "web" }, "CONFLICT", "A project with the slug web already exists in acme"],
    [{ name: "x", slug: "Bad Slug!" }, "BAD_REQUEST", "slug: use 1-40 lowercase letters, digits and dashes"],
    [{ name: "" }, "BAD_REQUEST", "name: Too small: expected string to have >=1 characters"],
  ])("refuses %o with %s", async (input, code, message) => {
    const admin = await callerFor(t.db, "admin@acme.example");
    expect(await failure(admin.resourcemanager.createProject({ org: "acme", ...input }))).toMatchObject({
      code,
      message,
    });
  });

  it("creates a project with a provisioning job that lists show", async () => {
    const { ctx, caller: admin } = await session(t.db, "admin@acme.example");
    const p = await admin.resourcemanager.createProject({
      org: "acme",
      name: "Payments API",
      description: "pay",
    });
    expect(p).toMatchObject({
      slug: "payments-api",
      status: "provisioning",
      job: { kind: "project.provision" },
    });
    expect((await successEvents(t.db, ctx.requestId)).map((e) => e.action)).toEqual([
      "resourcemanager.project.create",
    ]);
    const listed = await admin.resourcemanager.listProjects({ org: "acme", limit: 50 });
    expect(listed.items.find((i) => i.id === p.id)).toMatchObject({
      status: "provisioning",
      job: { id: p.job.id, kind: "project.provision", state: "PENDING", lastError: null },
    });
    const renamed = await admin.resourcemanager.updateProject({ project: p.id, name: "Payments" });
    expect(renamed).toMatchObject({ name: "Payments", slug: "payments-api" });
  });

  it("refuses to delete a project that still holds resources, saying how many", async () => {
    const admin = await callerFor(t.db, "admin@acme.example");
    const p = await admin.resourcemanager.createProject({ org: "acme", name: "Busy" });
    await t.db.insert(resources).values([
      {
        kind: "compute.instance",
        orgId: demo.acme.id,
        projectId: p.id,
        region: "region-one",
        name: "vm1",
        status: "ACTIVE",
      },
      {
        kind: "compute.instance",
        orgId: demo.acme.id,
        projectId: p.id,
        region: "region-one",
        name: "vm2",
        status: "ACTIVE",
      },
      {
        kind: "storage.volume",
        orgId: demo.acme.id,
        projectId: p.id,
        region: "region-one",
        name: "v1",
        status: "available",
      },
      {
        kind: "storage.volume",
        orgId: demo.acme.id,
        projectId: p.id,
        region: "region-one",
        name: "gone",
        status: "deleted",
        deletedAt: new Date(),
      },
    ]);
    expect(await failure(admin.resourcemanager.deleteProject({ project: p.id }))).toMatchObject({
      code: "CONFLICT",
      message:
        "Project busy still holds 3 resources (2 compute.instance, 1 storage.volume): delete them first",
    });
    const [row] = await t.db.select().from(projects).where(eq(projects.id, p.id));
    expect(row!.status).not.toBe("deleting");
    await t.db.delete(resources).where(eq(resources.projectId, p.id));
    const res = await admin.resourcemanager.deleteProject({ project: p.id });
    expect(res.job.kind).toBe("project.delete");
    const [job] = await t.db.select().from(jobs).where(eq(jobs.id, res.job.id));
    expect(job!.projectId).toBe(p.id);
    expect(await failure(admin.resourcemanager.deleteProject({ project: p.id }))).toMatchObject({
      code: "CONFLICT",
      message: "Project busy is already being deleted",
    });
  });

  it("lets a project admin rename but not delete their project", async () => {
    const padmin = await callerFor(t.db, "padmin@acme.example");
    expect(
      (await padmin.resourcemanager.updateProject({ project: demo.web.id, description: "front" }))
        .description,
    ).toBe("front");
    expect(await failure(padmin.resourcemanager.deleteProject({ project: demo.web.id }))).toMatchObject({
      code: "FORBIDDEN",
      message: "You do not have the permission resourcemanager.project.delete here",
    });
  });
});
