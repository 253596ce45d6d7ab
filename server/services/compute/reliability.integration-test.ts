// The compute slice under failure: idempotent creates over REST, Nova answering 503s and timing
// out, Nova refusing a request (400), and the worker killed in the middle of a create.
import { spawn } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { and, eq, isNull } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { jobs, projectQuotas, resources, users } from "@/db/schema";
import { env } from "@/server/env";
import { handleImageUpload, isImageUpload } from "@/server/http/image-upload";
import { handleRest } from "@/server/http/rest";
import { getOpenStack } from "@/server/providers/openstack/client";
import { issueApiToken } from "@/server/services/iam/tokens";
import { onRealCloud, startTestCloud } from "@/test/cloud";
import { createBasics, drain, fastJobs, provisionedProject } from "@/test/compute";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { seedPersonas } from "@/test/personas";
import type { SimHandle } from "@/sim/server";

let t: TestDatabase;
let sim: SimHandle;
let http: Server;
let base = "";
let token = "";
let ctx: Awaited<ReturnType<typeof provisionedProject>>;
let basics: Awaited<ReturnType<typeof createBasics>>;
let region = "";
const slug = "rely";

beforeAll(async () => {
  fastJobs();
  t = await createTestDatabase();
  // short per-attempt timeouts so an injected hang costs a second, not the production 30 s
  sim = await startTestCloud({
    timeoutMs: 1_000,
    maxRetries: 3,
    initialDelayMs: 10,
    maxDelayMs: 50,
    breakerThreshold: 1000,
  });
  await seedPersonas(t.db);
  region = sim.regions[0]!;
  ctx = await provisionedProject(t.db, slug);
  basics = await createBasics(ctx.admin, slug, region);
  const [admin] = await t.db.select().from(users).where(eq(users.email, "admin@acme.example"));
  token = (await issueApiToken(t.db, admin!.id, { name: "reliability", expiresInDays: 1 })).token;
  http = createServer(
    (req, res) => void (isImageUpload(req.url ?? "") ? handleImageUpload(req, res) : handleRest(req, res)),
  );
  await new Promise<void>((r) => http.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(http.address() as AddressInfo).port}/api`;
}, 60_000);
afterAll(async () => {
  await new Promise((r) => http.close(r));
  await sim.close();
  await t.close();
});
beforeEach(async () => {
  // fault injection is the sim's (skipped on a real cloud)
  if (!onRealCloud) await fetch(`${sim.url}/_sim/faults`, { method: "DELETE" });
});

const body = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  region,
  imageId: basics.image.providerId,
  flavorId: basics.flavor.providerId,
  networkId: basics.network.providerId,
  ...extra,
});

function post(path: string, json: unknown, key?: string) {
  return fetch(`${base}${path}`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${token}`,
      "content-type": "application/json",
      ...(key ? { "idempotency-key": key } : {}),
    },
    body: JSON.stringify(json),
  });
}

async function fault(rule: Record<string, unknown>) {
  const res = await fetch(`${sim.url}/_sim/faults`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(rule),
  });
  expect(res.status).toBe(201);
}

async function serversNamed(name: string) {
  const keystone = ctx.project.id;
  const [p] = await t.db.execute<{ upstream: Record<string, { keystoneProjectId: string }> }>(
    `select upstream from projects where id = '${keystone}'`,
  );
  const scoped = getOpenStack().forProject(region, p!.upstream[region]!.keystoneProjectId);
  return scoped.compute.findServersByName(name);
}

async function rowsNamed(name: string) {
  return t.db
    .select()
    .from(resources)
    .where(
      and(eq(resources.projectId, ctx.project.id), eq(resources.name, name), isNull(resources.deletedAt)),
    );
}

describe("compute reliability", () => {
  it("the same Idempotency-Key sent 10 times serially answers the same and creates one server", async () => {
    const key = `serial-${Date.now()}`;
    const answers: { status: number; text: string }[] = [];
    for (let i = 0; i < 10; i++) {
      const res = await post(`/tenant/v1/projects/${slug}/instances`, body("idem-serial"), key);
      answers.push({ status: res.status, text: await res.text() });
    }
    expect(answers[0]!.status).toBe(202);
    expect(answers.slice(1)).toEqual(answers.slice(0, 9).map(() => answers[0]));
    const first = JSON.parse(answers[0]!.text) as { job: { id: string }; instance: { id: string } };
    expect((await drain(t.db, first.job.id)).state).toBe("SUCCEEDED");
    expect(await rowsNamed("idem-serial")).toHaveLength(1);
    expect(await serversNamed("idem-serial")).toHaveLength(1);
  });

  it("the same Idempotency-Key sent 10 times concurrently answers the same and creates one server", async () => {
    const key = `concurrent-${Date.now()}`;
    const answers = await Promise.all(
      Array.from({ length: 10 }, async () => {
        const res = await post(`/tenant/v1/projects/${slug}/instances`, body("idem-concurrent"), key);
        return { status: res.status, text: await res.text() };
      }),
    );
    expect(new Set(answers.map((a) => `${a.status} ${a.text}`)).size).toBe(1);
    expect(answers[0]!.status).toBe(202);
    const first = JSON.parse(answers[0]!.text) as { job: { id: string } };
    expect((await drain(t.db, first.job.id)).state).toBe("SUCCEEDED");
    expect(await rowsNamed("idem-concurrent")).toHaveLength(1);
    expect(await serversNamed("idem-concurrent")).toHaveLength(1);
  });

  it.skipIf(onRealCloud)(
    "with Nova answering 30% 503s and timing out, every create still SUCCEEDS with no duplicate",
    async () => {
      await fault({ service: "compute", errorRate: 0.3, status: 503, message: "injected" });
      await fault({ service: "compute", errorRate: 0.1, timeout: true });
      const res = await post(
        `/tenant/v1/projects/${slug}/instances`,
        body("flaky", { count: 4 }),
        `flaky-${Date.now()}`,
      );
      // the request itself reads only Postgres (the catalogue mirror): Nova's faults cannot fail it
      expect(res.status).toBe(202);
      const out = (await res.json()) as { instances: { id: string; name: string; job: { id: string } }[] };
      const finals = [];
      for (const i of out.instances) finals.push(await drain(t.db, i.job.id, 200));
      expect(finals.map((j) => j.state)).toEqual(["SUCCEEDED", "SUCCEEDED", "SUCCEEDED", "SUCCEEDED"]);
      // the faults did bite: some job needed more than one attempt
      expect(finals.some((j) => j.attempts > 1)).toBe(true);
      await fetch(`${sim.url}/_sim/faults`, { method: "DELETE" });
      for (const i of out.instances) expect(await serversNamed(i.name), i.name).toHaveLength(1);
    },
    120_000,
  );

  it.skipIf(onRealCloud)(
    "a 400 from Nova fails the job at once with Nova's message and releases the reservation",
    async () => {
      await fault({
        service: "compute",
        method: "POST",
        path: "/servers$",
        errorRate: 1,
        status: 400,
        message: "Invalid key_name provided.",
      });
      const [before] = await t.db
        .select()
        .from(projectQuotas)
        .where(and(eq(projectQuotas.projectId, ctx.project.id), eq(projectQuotas.resource, "instances")));
      const res = await post(`/tenant/v1/projects/${slug}/instances`, body("refused"));
      expect(res.status).toBe(202);
      const out = (await res.json()) as { job: { id: string }; instance: { id: string } };
      const job = await drain(t.db, out.job.id);
      expect(job.state).toBe("FAILED");
      expect(job.attempts).toBe(1);
      expect(job.lastError).toContain("Invalid key_name provided.");
      const [after] = await t.db
        .select()
        .from(projectQuotas)
        .where(and(eq(projectQuotas.projectId, ctx.project.id), eq(projectQuotas.resource, "instances")));
      expect(after!.reserved).toBe(before!.reserved);
      const vm = await ctx.admin.compute.getInstance({ org: "acme", project: slug, id: out.instance.id });
      expect(vm.status).toBe("ERROR");
      expect(vm.fault).toContain("Invalid key_name provided.");
    },
  );

  it.skipIf(onRealCloud)(
    "the worker killed in the middle of a create: the job finishes after a restart, one server",
    async () => {
      // Nova is slow to answer for the server while it builds, so the worker is surely mid-job when killed.
      await fault({
        service: "compute",
        method: "GET",
        path: "/servers/[0-9a-f-]{36}$",
        errorRate: 1,
        latencyMs: 700,
      });
      const res = await post(`/tenant/v1/projects/${slug}/instances`, body("killed"));
      const out = (await res.json()) as { job: { id: string } };
      const clouds = sim.cloudsYamlPath!;
      const child = spawn(process.execPath, ["--import", "tsx", "test/fixtures/run-job.ts", out.job.id], {
        env: { ...process.env, DATABASE_URL: env.DATABASE_URL, CIRRUS_CLOUDS_YAML: clouds },
        stdio: "ignore",
      });
      // wait until the worker has created the server (step 1 done), then kill it without warning
      const deadline = Date.now() + 30_000;
      for (;;) {
        const [job] = await t.db.select().from(jobs).where(eq(jobs.id, out.job.id));
        if (job!.steps[0]?.state === "SUCCEEDED") break;
        if (Date.now() > deadline) throw new Error("the worker never created the server");
        await new Promise((r) => setTimeout(r, 50));
      }
      child.kill("SIGKILL");
      await new Promise((r) => child.once("exit", r));
      const [held] = await t.db.select().from(jobs).where(eq(jobs.id, out.job.id));
      expect(held!.state).toBe("RUNNING");
      // its lease runs out (the sweeper re-dispatches such jobs): a new worker takes over
      await t.db
        .update(jobs)
        .set({ leaseUntil: new Date(Date.now() - 1000) })
        .where(eq(jobs.id, out.job.id));
      await fetch(`${sim.url}/_sim/faults`, { method: "DELETE" });
      const job = await drain(t.db, out.job.id);
      expect(job.state).toBe("SUCCEEDED");
      expect(job.attempts).toBe(2);
      expect(await serversNamed("killed")).toHaveLength(1);
    },
    60_000,
  );

  it("uploads an image's data: the image becomes active and usable", async () => {
    const created = await ctx.admin.compute.createImage({
      org: "acme",
      project: slug,
      name: "uploaded",
      region,
    });
    expect((await drain(t.db, created.job.id)).state).toBe("SUCCEEDED");
    const data = Buffer.alloc(64 * 1024, 7);
    const res = await fetch(`${base}/tenant/v1/projects/${slug}/images/${created.image.id}/file`, {
      method: "PUT",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/octet-stream" },
      body: data,
    });
    expect(res.status, await res.clone().text()).toBe(200);
    const images = await ctx.admin.compute.listImages({
      org: "acme",
      project: slug,
      region,
      q: "uploaded",
      limit: 5,
    });
    expect(images.items[0]).toMatchObject({
      name: "uploaded",
      owned: true,
      status: "active",
      sizeBytes: data.length,
    });
    // a second upload is refused: the image is no longer queued
    const again = await fetch(`${base}/tenant/v1/projects/${slug}/images/${created.image.id}/file`, {
      method: "PUT",
      headers: { authorization: `Bearer ${token}` },
      body: data,
    });
    expect(again.status).toBe(409);
  });
});
