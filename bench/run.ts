// `npm run bench`: prints latency figures for the hot paths against a throwaway embedded Postgres
// holding 10,000 inventory rows and 1,000,000 activity-log events, and compute figures against the
// simulated cloud in process. Figures, not pass/fail.
//   BENCH_PG_PORT (default 55491), BENCH_AUDIT_EVENTS (default 1000000), BENCH_INVENTORY (10000),
//   BENCH_COMPUTE_INSTANCES (10000), BENCH_N (samples per figure, default 300),
//   BENCH_ONLY (comma list of sections: inventory, audit, mutation, compute; default all).
import { availableParallelism, loadavg } from "node:os";

process.env.CIRRUS_LOG_LEVEL ??= "error";

const port = Number(process.env.BENCH_PG_PORT ?? 55491);
const auditN = Number(process.env.BENCH_AUDIT_EVENTS ?? 1_000_000);
const inventoryN = Number(process.env.BENCH_INVENTORY ?? 10_000);
const computeN = Number(process.env.BENCH_COMPUTE_INSTANCES ?? 10_000);
const samples = Number(process.env.BENCH_N ?? 300);
const SECTIONS = ["inventory", "audit", "mutation", "compute"] as const;
const only = (process.env.BENCH_ONLY ?? "")
  .split(",")
  .map((s) => s.trim())
  .filter(Boolean);
for (const s of only)
  if (!(SECTIONS as readonly string[]).includes(s))
    throw new Error(`BENCH_ONLY: unknown section ${s} (sections: ${SECTIONS.join(", ")})`);
const runs = (section: (typeof SECTIONS)[number]) => only.length === 0 || only.includes(section);

/** Latencies mean little on a loaded machine: say how loaded it was. */
function loadNote(when: string): void {
  const [one] = loadavg();
  const cores = availableParallelism();
  process.stdout.write(
    `Load average ${when}: ${one!.toFixed(1)} on ${cores} cores${one! > cores ? " (busy machine: expect inflated tails)" : ""}\n`,
  );
}

async function main(): Promise<void> {
  // Imported after the environment is set: server modules read it once, at import.
  const { and, eq } = await import("drizzle-orm");
  const { organizations, projects, projectQuotas } = await import("@/db/schema");
  const { line } = await import("./stats");
  const { startBenchDb } = await import("./setup");
  const { seedAuditEvents, seedInventory } = await import("./seed");
  const { benchInventory } = await import("./inventory");
  const { benchAuditSearch } = await import("./audit-search");
  const { benchMutation } = await import("./mutation");
  const { benchCompute } = await import("./compute");

  const t0 = performance.now();
  loadNote("at the start");
  line(
    `Cirrus benchmarks: ${inventoryN.toLocaleString("en")} inventory rows, ${auditN.toLocaleString("en")} audit events, ${computeN.toLocaleString("en")} VMs, ${samples} samples per figure${only.length ? ` (only ${only.join(", ")})` : ""}`,
  );
  const bench = await startBenchDb(port);
  try {
    const [acme] = await bench.db.select().from(organizations).where(eq(organizations.slug, "acme"));
    const projs = await bench.db.select().from(projects).where(eq(projects.orgId, acme!.id));
    const web = projs.find((p) => p.slug === "web")!;
    // Provisioning never ran (no cloud): the benchmark works on the rows as they are.
    await bench.owner.update(projects).set({ status: "active" }).where(eq(projects.orgId, acme!.id));
    await bench.owner
      .update(projectQuotas)
      .set({ limit: 1_000_000_000 })
      .where(and(eq(projectQuotas.projectId, web.id)));

    let t = performance.now();
    if (runs("inventory") || runs("mutation")) {
      await seedInventory(bench.owner, acme!, web, inventoryN);
      line(
        `  seeded ${inventoryN.toLocaleString("en")} inventory rows in ${((performance.now() - t) / 1000).toFixed(1)} s`,
      );
    }
    if (runs("audit")) {
      t = performance.now();
      await seedAuditEvents(
        bench.owner,
        acme!,
        projs.map((p) => p.id),
        auditN,
        (done) => process.stdout.write(`\r  seeding audit events: ${done.toLocaleString("en")}   `),
      );
      line(
        `\r  seeded ${auditN.toLocaleString("en")} audit events (indexes rebuilt, analysed) in ${((performance.now() - t) / 1000).toFixed(1)} s`,
      );
    }

    if (runs("inventory")) await benchInventory(bench.db, web, samples);
    if (runs("audit")) await benchAuditSearch(bench.db, samples);
    if (runs("mutation")) await benchMutation(bench.db, web, samples);
    if (runs("compute")) await benchCompute(bench.db, bench.owner, { instances: computeN, n: samples });
  } finally {
    await bench.stop();
  }
  line(`\nDone in ${((performance.now() - t0) / 1000).toFixed(0)} s.`);
  loadNote("at the end");
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
