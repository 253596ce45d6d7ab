// Helpers of the compute tests: a provisioned project with its default VPC, and a loop that runs
// a job to its end the way workers do (retries included, with short backoff).
import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { jobs } from "@/db/schema";
import { setComputePolling } from "@/server/jobs/workflows/compute";
import { runJob, setBackoff } from "@/server/jobs/runner";
import { onRealCloud } from "./cloud";
import { callerFor } from "./personas";

export function fastJobs(): void {
  setBackoff({ baseMs: 20, capMs: 100 });
  // a real cloud takes seconds per transition where the sim takes milliseconds
  setComputePolling(
    onRealCloud ? { intervalMs: 500, timeoutMs: 300_000 } : { intervalMs: 30, timeoutMs: 30_000 },
  );
}

/** Runs a job until it SUCCEEDS or FAILS; returns its final row. */
export async function drain(db: Db, jobId: string, maxRuns = onRealCloud ? 400 : 40) {
  for (let i = 0; i < maxRuns; i++) {
    await runJob(db, jobId);
    const [job] = await db.select().from(jobs).where(eq(jobs.id, jobId));
    if (!job) throw new Error(`job ${jobId} vanished`);
    if (job.state === "SUCCEEDED" || job.state === "FAILED") return job;
    const wait = job.nextRunAt ? Math.max(0, job.nextRunAt.getTime() - Date.now() - 400) : 20;
    await new Promise((r) => setTimeout(r, Math.min(wait, 500)));
  }
  throw new Error(`job ${jobId} did not end in ${maxRuns} runs`);
}

/** A new project of acme, provisioned (default VPC and catalogue in every region). */
export async function provisionedProject(db: Db, slug: string) {
  const admin = await callerFor(db, "admin@acme.example");
  const created = await admin.resourcemanager.createProject({ org: "acme", name: slug, slug });
  const job = await drain(db, created.job.id);
  if (job.state !== "SUCCEEDED") throw new Error(`provisioning failed: ${job.lastError}`);
  return { admin, project: created };
}

/** What a create needs: the project's default network, a small flavor and a bootable image. */
export async function createBasics(
  caller: Awaited<ReturnType<typeof callerFor>>,
  slug: string,
  region: string,
) {
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
  return { image, flavor, network, flavors: flavors.items, images: images.items };
}
