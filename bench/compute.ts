// Compute: what the portal costs next to Nova itself, against the simulated cloud in this process
// (fast mode, memory only), with the provider configured as the tests do it (test/cloud.ts).
//   VM list: the first page of 100 of compute.listInstances (through a caller) at N instances in one
//     project, vs Nova's GET /servers/detail?limit=100 with a project-scoped token at N servers in
//     that Keystone project. The N rows and servers are clones of one VM created end to end.
//   Create path: the createInstances procedure's answer (prepareCreate, the transaction with inventory
//     row, job, quota reservation and audit event, the pg-boss dispatch; not the job) vs a bare Nova
//     POST /servers with the body the job sends.
import { randomBytes, randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { jobs, organizations, projectQuotas, projects, resources, users } from "@/db/schema";
import { configure } from "@/server/cloud/start";
import { setCloud } from "@/server/cloud/regions";
import { loadGrants, type Principal } from "@/server/iam/access";
import { dispatchJob, getBoss } from "@/server/jobs/queue";
import { runJob, setBackoff } from "@/server/jobs/runner";
import { setComputePolling } from "@/server/jobs/workflows/compute";
import { getOpenStack, type ScopedClient } from "@/server/providers/openstack/client";
import { parseCloudsYaml } from "@/server/providers/openstack/clouds-config";
import { createInstancesInput } from "@/server/routers/compute/schemas";
import { appRouter } from "@/server/routers/_app";
import { createInstances, latestJobs, prepareCreate } from "@/server/services/compute/instances";
import { loadProject } from "@/server/services/compute/upstream";
import { toInstance } from "@/server/services/compute/views";
import { listInventory } from "@/server/services/inventory";
import type { Port, Server } from "@/sim/model";
import { startSim, type SimHandle } from "@/sim/server";
import { Store } from "@/sim/state";
import { contextForBench } from "./context";
import { line, measure, measureInterleaved, printTable, timing, type Timing } from "./stats";

const WARMUP = 20;

/** Nova's microversion of our provider (server/providers/openstack/client.ts), for the raw calls. */
const COMPUTE_MICROVERSION = "compute 2.90";

interface Sim {
  handle: SimHandle;
  store: Store;
}

/**
 * The sim as test/cloud.ts starts it, plus its state store: SimHandle does not expose the store,
 * so Store.open is wrapped for the duration of startSim to keep the one it opens.
 */
async function startBenchSim(): Promise<Sim> {
  const open = Store.open.bind(Store);
  let store: Store | undefined;
  Store.open = (dataDir, seed) => {
    const opened = open(dataDir, seed);
    store = opened.store;
    return opened;
  };
  let handle: SimHandle;
  try {
    handle = await startSim({ port: 0, dataDir: null, fast: true });
  } finally {
    Store.open = open;
  }
  if (!store) throw new Error("the sim opened no store");
  if (!handle.cloudsYamlPath) throw new Error("the sim wrote no clouds.yaml");
  configure(parseCloudsYaml(await readFile(handle.cloudsYamlPath, "utf8")));
  return { handle, store };
}

type Caller = ReturnType<typeof appRouter.createCaller>;

/** A caller as the HTTP layer builds one per request: a fresh context and the grants loaded. */
async function callerFor(db: Db, principal: Principal): Promise<Caller> {
  const ctx = contextForBench(principal);
  ctx.grants = await loadGrants(db, principal);
  return appRouter.createCaller({ ...ctx, db });
}

/** Runs a job the way workers do until it ends (test/compute.ts drain()). */
async function drain(db: Db, jobId: string): Promise<void> {
  for (let i = 0; i < 60; i++) {
    await runJob(db, jobId);
    const [job] = await db.select().from(jobs).where(eq(jobs.id, jobId));
    if (!job) throw new Error(`job ${jobId} vanished`);
    if (job.state === "SUCCEEDED") return;
    if (job.state === "FAILED") throw new Error(`job ${job.kind} failed: ${job.lastError}`);
    const wait = job.nextRunAt ? Math.max(0, job.nextRunAt.getTime() - Date.now() - 400) : 20;
    await new Promise((r) => setTimeout(r, Math.min(wait, 500)));
  }
  throw new Error(`job ${jobId} did not end`);
}

interface BenchProject {
  id: string;
  slug: string;
  orgId: string;
  keystone: (region: string) => string;
}

/** A new acme project, provisioned in every region (Keystone project, default VPC, catalogue). */
async function provisionedProject(db: Db, owner: Db, caller: Caller, slug: string): Promise<BenchProject> {
  const created = await caller.resourcemanager.createProject({ org: "acme", name: slug, slug });
  await drain(db, created.job.id);
  await owner
    .update(projectQuotas)
    .set({ limit: 1_000_000_000 })
    .where(eq(projectQuotas.projectId, created.id));
  const [row] = await db.select().from(projects).where(eq(projects.id, created.id));
  return {
    id: row!.id,
    slug,
    orgId: row!.orgId,
    keystone: (region) => {
      const id = row!.upstream[region]?.keystoneProjectId;
      if (!id) throw new Error(`${slug} has no Keystone project in ${region}`);
      return id;
    },
  };
}

/** What a create needs, as test/compute.ts createBasics() picks it: default network, small flavor, cirros. */
async function createInput(caller: Caller, slug: string, region: string) {
  const scope = { org: "acme", project: slug, region, limit: 100 };
  const [images, flavors, networks] = await Promise.all([
    caller.compute.listImages(scope),
    caller.compute.listFlavors(scope),
    caller.network.listNetworks(scope),
  ]);
  const image = images.items.find((i) => i.status === "active" && /cirros/i.test(i.name)) ?? images.items[0]!;
  const flavor = [...flavors.items]
    .sort((a, b) => a.ramMb - b.ramMb)
    .find((f) => f.diskGb >= image.minDiskGb)!;
  const network = networks.items.find((n) => n.isDefault)!;
  return {
    org: "acme",
    project: slug,
    region,
    imageId: image.providerId,
    flavorId: flavor.providerId,
    networkId: network.providerId,
    securityGroupIds: undefined as string[] | undefined,
    count: 1,
  };
}

/** Nova and Neutron quotas of a Keystone project lifted in the sim (the benchmark creates hundreds). */
function unlimited(sim: Sim, region: string, keystoneProjectId: string): void {
  const rs = sim.store.region(region);
  rs.compute.quotas[keystoneProjectId] = { instances: -1, cores: -1, ram: -1 };
  rs.network.quotas[keystoneProjectId] = { port: -1 };
}

function ratioLine(label: string, a: Timing, b: Timing): void {
  line(
    `  ${label}: p50 ${a.p50.toFixed(2)} vs ${b.p50.toFixed(2)} ms (x${(a.p50 / b.p50).toFixed(2)}), p99 ${a.p99.toFixed(2)} vs ${b.p99.toFixed(2)} ms`,
  );
}

// ---------------------------------------------------------------- create path

async function benchCreate(
  db: Db,
  sim: Sim,
  caller: Caller,
  principal: Principal,
  project: BenchProject,
  n: number,
): Promise<void> {
  // region-two: the list below fills region-one with servers, and Nova's create scans the region's
  // servers (quota usage, host loads); here the region holds only what this figure creates.
  const region = "region-two";
  const input = await createInput(caller, project.slug, region);
  const keystoneId = project.keystone(region);
  unlimited(sim, region, keystoneId);
  const cloud = getOpenStack().forProject(region, keystoneId);
  const [defaultSg] = await db
    .select({ ref: resources.providerRef })
    .from(resources)
    .where(
      and(
        eq(resources.projectId, project.id),
        eq(resources.kind, "security_group"),
        eq(resources.region, region),
        eq(resources.name, "default"),
      ),
    )
    .limit(1);

  // The default security group named explicitly, as the console's create form does: the job then
  // sends its id in the body, and prepareCreate checks it against the catalogue.
  if (defaultSg?.ref) input.securityGroupIds = [defaultSg.ref];
  const { org: _org, project: _project, ...serviceInput } = input;
  const ref = await loadProject(db, project.id);
  // The procedure's parts called directly (no tRPC, no grants), timed in the same turns: where the
  // time goes. Warm-up rounds (i restarts at 0 after them) are dropped.
  const parts = { prepare: [] as number[], tx: [] as number[], dispatch: [] as number[] };
  let round = 0;
  const [procedure, service, bare] = await measureInterleaved(
    [
      {
        name: "compute.createInstances (caller)",
        fn: async (i) => {
          const c = await callerFor(db, principal);
          await c.compute.createInstances({ ...input, name: `bench-${i}` });
        },
      },
      {
        name: "  the same service calls, no caller",
        fn: async (i) => {
          const parsed = createInstancesInput.parse({ ...serviceInput, name: `part-${i}` });
          const actor = { ...contextForBench(principal).actor };
          const t0 = performance.now();
          const prepared = await prepareCreate(db, ref, parsed);
          const t1 = performance.now();
          const created = await db.transaction((tx) => createInstances(tx, actor, ref, parsed, prepared));
          const t2 = performance.now();
          for (const c of created) await dispatchJob(c.job.id);
          const t3 = performance.now();
          if (round++ < WARMUP) return;
          parts.prepare.push(t1 - t0);
          parts.tx.push(t2 - t1);
          parts.dispatch.push(t3 - t2);
        },
      },
      {
        name: "Nova POST /servers (provider)",
        fn: (i) =>
          cloud.compute.createServer({
            jobId: randomUUID(),
            name: `bare-${i}`,
            flavorRef: input.flavorId,
            imageRef: input.imageId,
            networks: [{ uuid: input.networkId }],
            ...(input.securityGroupIds ? { securityGroups: input.securityGroupIds } : {}),
            metadata: { cirrus_resource_id: randomUUID() },
          }),
      },
    ],
    { n, warmup: WARMUP },
  );
  printTable(
    `Create path: the createInstances answer vs a bare Nova POST /servers (sim, fast mode), ${region}`,
    [
      procedure!,
      service!,
      timing("    prepareCreate", parts.prepare),
      timing("    transaction", parts.tx),
      timing("    pg-boss dispatch", parts.dispatch),
      bare!,
    ],
  );
  line(
    `  added by the portal: +${(procedure!.p50 - bare!.p50).toFixed(2)} ms at p50, +${(procedure!.p99 - bare!.p99).toFixed(2)} ms at p99`,
  );
  line(
    "  (caller and Nova timed in turns; the caller loads the grants per call as the HTTP layer does; the jobs do not run)",
  );
}

// ---------------------------------------------------------------- VM list

/** One VM end to end (portal create, its job to ACTIVE), whose row and server are then cloned. */
async function templateInstance(db: Db, caller: Caller, project: BenchProject, region: string) {
  const input = await createInput(caller, project.slug, region);
  const res = await caller.compute.createInstances({ ...input, name: "vm-template" });
  await drain(db, res.job.id);
  const [row] = await db.select().from(resources).where(eq(resources.id, res.instance.id));
  if (!row?.providerRef || row.status !== "ACTIVE")
    throw new Error(`the template VM ended ${row?.status ?? "missing"}`);
  const [job] = await db.select().from(jobs).where(eq(jobs.id, res.job.id));
  return { row, job: job! };
}

/**
 * N-1 clones of the template row written with generate_series (indexes in place: 10,000 rows are
 * quick), each with a SUCCEEDED instance.create job as the list's "last job" lookup finds for real
 * rows. Provider ids are deterministic uuids so the sim's servers can carry the same ids.
 */
async function seedPortalInstances(
  owner: Db,
  template: Awaited<ReturnType<typeof templateInstance>>,
  count: number,
): Promise<void> {
  const t = template.row;
  await owner.execute(sql`
    insert into resources (kind, org_id, project_id, region, availability_zone, name, status, labels,
      provider_ref, desired, observed, attrs, created_by, created_at, updated_at, observed_at)
    select 'instance', ${t.orgId}::uuid, ${t.projectId}::uuid, ${t.region}, ${t.availabilityZone},
      'vm-' || lpad(g::text, 6, '0'), ${t.status}, ${JSON.stringify(t.labels)}::jsonb,
      ref, ${JSON.stringify(t.desired)}::jsonb,
      jsonb_set(jsonb_set(${JSON.stringify(t.observed)}::jsonb, '{server,id}', to_jsonb(ref)),
        '{server,name}', to_jsonb('vm-' || lpad(g::text, 6, '0'))),
      ${JSON.stringify(t.attrs)}::jsonb, ${t.createdBy}::uuid,
      now() - (g * interval '37 seconds'), now(), now()
    from generate_series(1, ${count - 1}) g, lateral (select md5('bench-vm-' || g)::uuid::text as ref) r`);
  const j = template.job;
  await owner.execute(sql`
    insert into jobs (org_id, project_id, kind, target_kind, target_id, target_name, region, state, steps,
      attempts, input, created_by, created_at, updated_at, started_at, finished_at)
    select r.org_id, r.project_id, ${j.kind}, 'instance', r.id, r.name, r.region, 'SUCCEEDED',
      ${JSON.stringify(j.steps)}::jsonb, 1, jsonb_build_object('resourceId', r.id), r.created_by,
      r.created_at, r.created_at, r.created_at, r.created_at
    from resources r
    where r.project_id = ${t.projectId}::uuid and r.kind = 'instance' and r.id <> ${t.id}::uuid`);
  await owner.execute(sql`analyze resources`);
  await owner.execute(sql`analyze jobs`);
}

const hex = (n: number) => randomBytes(n).toString("hex");

/**
 * The same VMs in the sim: clones of the template's Nova server and its port, put straight into the
 * sim's state (in process, no API calls), with the portal rows' ids, names and creation times.
 */
async function seedSimServers(
  db: Db,
  sim: Sim,
  template: { providerRef: string | null; projectId: string; region: string },
) {
  const rs = sim.store.region(template.region);
  const server = rs.compute.servers[template.providerRef!];
  if (!server) throw new Error("the template server is not in the sim");
  const port = Object.values(rs.network.ports).find((p) => p.device_id === server.id);
  if (!port) throw new Error("the template server has no port in the sim");
  const rows = await db
    .select({ ref: resources.providerRef, name: resources.name, createdAt: resources.createdAt })
    .from(resources)
    .where(and(eq(resources.projectId, template.projectId), eq(resources.kind, "instance")));
  let k = 0;
  for (const r of rows) {
    if (!r.ref || r.ref === server.id) continue;
    k++;
    const at = r.createdAt.getTime();
    const portId = randomUUID();
    const s: Server = {
      ...structuredClone(server),
      id: r.ref,
      name: r.name,
      createdAt: at,
      updatedAt: at,
      launchedAt: at,
      instanceName: `instance-${(0x100000 + k).toString(16).padStart(8, "0")}`,
      hostname: r.name,
      reservationId: `r-${hex(4)}`,
      metadata: { ...server.metadata, cirrus_resource_id: randomUUID() },
      tags: [],
      ownedPorts: [portId],
      opId: null,
    };
    const p: Port = {
      ...structuredClone(port),
      id: portId,
      device_id: s.id,
      mac_address: `fa:16:3e:${hex(1)}:${hex(1)}:${hex(1)}`,
      fixed_ips: port.fixed_ips.map((f) => ({
        subnet_id: f.subnet_id,
        ip_address: `10.${100 + (k >> 16)}.${(k >> 8) & 255}.${k & 255}`,
      })),
      created_at: new Date(at).toISOString().replace(/\.\d+Z$/, "Z"),
      updated_at: new Date(at).toISOString().replace(/\.\d+Z$/, "Z"),
    };
    rs.compute.servers[s.id] = s;
    rs.network.ports[p.id] = p;
  }
  return k + 1;
}

async function benchList(
  db: Db,
  owner: Db,
  sim: Sim,
  caller: Caller,
  principal: Principal,
  project: BenchProject,
  count: number,
  n: number,
): Promise<void> {
  const region = "region-one";
  const t = performance.now();
  const template = await templateInstance(db, caller, project, region);
  await seedPortalInstances(owner, template, count);
  const inSim = await seedSimServers(db, sim, template.row);
  line(
    `  seeded ${count.toLocaleString("en")} instance rows (+ their jobs) and ${inSim.toLocaleString("en")} sim servers with a port each in ${((performance.now() - t) / 1000).toFixed(1)} s`,
  );
  const cloud: ScopedClient = getOpenStack().forProject(region, project.keystone(region));
  const token = await cloud.token();
  const root = await cloud.findEndpoint("compute", token);

  const listRaw = async () => {
    const res = await fetch(`${root}/servers/detail?limit=100`, {
      headers: { "X-Auth-Token": token.value, "OpenStack-API-Version": COMPUTE_MICROVERSION },
    });
    return ((await res.json()) as { servers: unknown[] }).servers.length;
  };
  const [portal, service, provider, raw] = await measureInterleaved(
    [
      {
        name: "compute.listInstances (caller)",
        fn: async () => {
          const c = await callerFor(db, principal);
          const page = await c.compute.listInstances({ org: "acme", project: project.slug, limit: 100 });
          if (page.items.length !== 100) throw new Error(`listInstances gave ${page.items.length} rows`);
        },
      },
      {
        // the procedure's queries and mapping without tRPC and grants
        name: "  listInventory + latestJobs + toInstance",
        fn: async () => {
          const { items } = await listInventory(db, { projectId: project.id, kind: "instance", limit: 100 });
          const last = await latestJobs(
            db,
            items.map((r) => r.id),
          );
          return items.map((r) => toInstance(r, last.get(r.id) ?? null));
        },
      },
      {
        name: "Nova servers/detail (provider)",
        fn: async () => {
          let got = 0;
          for await (const _s of cloud.compute.listServers({}, { pageSize: 100, max: 100 })) got++;
          if (got !== 100) throw new Error(`listServers gave ${got} servers`);
        },
      },
      {
        name: "Nova servers/detail (raw fetch)",
        fn: async () => {
          const got = await listRaw();
          if (got !== 100) throw new Error(`Nova gave ${got} servers`);
        },
      },
    ],
    { n },
  );
  printTable(`VM list: first page of 100 at ${count.toLocaleString("en")} VMs in one project`, [
    portal!,
    service!,
    provider!,
    raw!,
  ]);
  ratioLine("Nova (provider) / portal", provider!, portal!);
  ratioLine("Nova (raw fetch) / portal", raw!, portal!);

  // What the sim spends on ports: its rendering finds each server's ports by scanning all of them.
  const rs = sim.store.region(region);
  const ports = rs.network.ports;
  rs.network.ports = Object.fromEntries(
    Object.entries(ports).filter(([, p]) => !p.device_owner.startsWith("compute:")),
  );
  const noPorts = await measure("Nova servers/detail, no ports (raw)", listRaw, { n: Math.min(n, 100) });
  rs.network.ports = ports;
  line(
    `  the sim without its ${Object.keys(ports).length.toLocaleString("en")} ports (no addresses rendered): p50 ${noPorts.p50.toFixed(2)} ms, p99 ${noPorts.p99.toFixed(2)} ms`,
  );
  line("  (the sim is not Nova: its list filters and sorts every server of the region in memory per call)");
}

// ---------------------------------------------------------------- entry

export async function benchCompute(db: Db, owner: Db, opts: { instances: number; n: number }): Promise<void> {
  setBackoff({ baseMs: 20, capMs: 100 });
  setComputePolling({ intervalMs: 30, timeoutMs: 30_000 });
  await getBoss(); // as the server does at boot; dispatchJob sends through it
  const sim = await startBenchSim();
  try {
    const [admin] = await db.select().from(users).where(eq(users.email, "admin@acme.example"));
    const [acme] = await db.select().from(organizations).where(eq(organizations.slug, "acme"));
    if (!admin || !acme) throw new Error("no demo data");
    const principal: Principal = { userId: admin.id, email: admin.email, name: admin.name, via: "session" };
    const caller = await callerFor(db, principal);
    const t = performance.now();
    const createProject = await provisionedProject(db, owner, caller, "bench-create");
    const listProject = await provisionedProject(db, owner, caller, "bench-vms");
    line(`\nCompute (sim at ${sim.handle.url}, fast mode, in process)`);
    line(`  provisioned 2 projects (2 regions each) in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    await benchCreate(db, sim, caller, principal, createProject, opts.n);
    await benchList(db, owner, sim, caller, principal, listProject, opts.instances, opts.n);
  } finally {
    setCloud(undefined);
    await sim.handle.close();
  }
}
