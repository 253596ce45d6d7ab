// Reconciles compute: what Nova holds is the truth for what exists and in which state. Per active
// project and region, one server list is compared with the inventory; a server deleted, resized
// or stopped outside the portal is noticed, shown (the row changes, the live channel tells the
// pages) and audited. The project's catalogue mirror is refreshed in the same pass.
import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { jobs, projects, resources } from "@/db/schema";
import { systemActor } from "@/server/audit/actor";
import { writeAudit } from "@/server/audit/write";
import type { KindReconciler } from "@/server/jobs/reconciler";
import { log } from "@/server/log";
import { addUsage, amountsOver, releaseUsage, type Amounts } from "@/server/quota/reserve";
import type { Server } from "@/server/providers/openstack/compute";
import { JOB_ID_KEY } from "@/server/providers/openstack/common";
import { syncCatalog } from "@/server/services/compute/catalog";
import { flavorAmounts } from "@/server/services/compute/instances";
import { readInstance, recordInstance } from "@/server/services/compute/observe";
import { collect, projectCloud, type ProjectRef } from "@/server/services/compute/upstream";
import { notifyResource, type ResourceRow } from "@/server/services/inventory";

const ACTIVE_JOBS = ["PENDING", "RUNNING", "RETRYING"];

async function busyIds(db: Db, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .select({ id: jobs.targetId })
    .from(jobs)
    .where(and(inArray(jobs.targetId, ids), inArray(jobs.state, ACTIVE_JOBS)));
  return new Set(rows.map((r) => r.id!));
}

async function audit(
  db: Db,
  region: string,
  row: ResourceRow,
  action: string,
  message: string,
  data: Record<string, unknown>,
) {
  await writeAudit(db, systemActor(`reconciler-${region}`), {
    action,
    orgId: row.orgId,
    projectId: row.projectId,
    target: { kind: "instance", id: row.id, name: row.name },
    message,
    data,
  });
}

/** One project in one region: returns how many rows were corrected. */
export async function reconcileInstances(
  db: Db,
  project: ProjectRef,
  region: string,
): Promise<{ checked: number; corrected: number }> {
  const cloud = projectCloud(project, region);
  const servers = new Map((await collect(cloud.compute.listServers())).map((s) => [s.id, s] as const));
  const rows = await db
    .select()
    .from(resources)
    .where(
      and(
        eq(resources.projectId, project.id),
        eq(resources.kind, "instance"),
        eq(resources.region, region),
        isNull(resources.deletedAt),
      ),
    );
  const busy = await busyIds(
    db,
    rows.map((r) => r.id),
  );
  // the project's elastic IPs by port, as mirrored from Neutron (refreshed just before this)
  const elastic = await db
    .select({ address: resources.name, portId: sql<string | null>`${resources.attrs} ->> 'portId'` })
    .from(resources)
    .where(
      and(
        eq(resources.projectId, project.id),
        eq(resources.kind, "floating_ip"),
        eq(resources.region, region),
        isNull(resources.deletedAt),
      ),
    );
  let corrected = 0;
  for (const row of rows) {
    if (busy.has(row.id) || !row.providerRef) continue; // a job is on it: the job records what it does
    const server = servers.get(row.providerRef);
    if (!server || server.status === "DELETED") {
      await db.transaction(async (tx) => {
        const [fresh] = await tx.select().from(resources).where(eq(resources.id, row.id)).for("update");
        if (!fresh || fresh.deletedAt) return;
        await tx
          .update(resources)
          .set({
            status: "DELETED",
            deletedAt: new Date(),
            updatedAt: new Date(),
            attrs: { ...fresh.attrs, pendingAction: null },
          })
          .where(eq(resources.id, row.id));
        const d = fresh.desired as { quota?: Amounts; quotaCommitted?: boolean };
        if (d.quotaCommitted && d.quota) await releaseUsage(tx, row.projectId, d.quota);
        await notifyResource(tx, {
          orgId: row.orgId,
          projectId: row.projectId,
          kind: "instance",
          id: row.id,
        });
        await writeAudit(tx, systemActor(`reconciler-${region}`), {
          action: "reconciler.instance.delete",
          orgId: row.orgId,
          projectId: row.projectId,
          target: { kind: "instance", id: row.id, name: row.name },
          message: `${row.name} was deleted outside the portal (server ${row.providerRef} is gone from Nova in ${region})`,
          data: { region, providerId: row.providerRef, lastStatus: row.status },
        });
      });
      corrected += 1;
      continue;
    }
    if (!changed(row, server) && sameElastic(row, elastic)) continue;
    const obs = await readInstance(cloud, server.id);
    if (!obs) continue;
    const updated = await recordInstance(db, row, obs);
    const before = {
      status: row.status,
      flavor: row.attrs.flavorName ?? null,
      locked: row.attrs.locked === true,
    };
    const after = {
      status: updated.status,
      flavor: updated.attrs.flavorName ?? null,
      locked: updated.attrs.locked === true,
    };
    const settled = await settleResize(db, row, updated);
    if (before.flavor !== after.flavor) {
      if (!settled) await followFlavor(db, updated);
      await audit(
        db,
        region,
        updated,
        "reconciler.instance.resize",
        `${row.name} was resized outside the portal: ${String(before.flavor)} → ${String(after.flavor)}`,
        { region, before, after },
      );
    } else if (before.status !== after.status || before.locked !== after.locked) {
      await audit(
        db,
        region,
        updated,
        "reconciler.instance.update",
        `${row.name} changed outside the portal: ${before.status} → ${after.status}${before.locked !== after.locked ? (after.locked ? ", locked" : ", unlocked") : ""}`,
        { region, before, after },
      );
    }
    corrected += 1;
  }
  // servers nobody in the portal created (the openstack CLI, say) are listed but not adopted:
  // their quota was never reserved. Count them so operators can see them in the logs.
  const known = new Set(rows.map((r) => r.providerRef));
  const foreign = [...servers.values()].filter((s) => !known.has(s.id) && !s.metadata?.[JOB_ID_KEY]);
  if (foreign.length > 0)
    log.debug("servers unknown to the portal", { project: project.slug, region, count: foreign.length });
  return { checked: rows.length, corrected };
}

/**
 * A resize the portal started and Nova ended without the portal (auto-confirmed after its window,
 * or confirmed/reverted with the API): usage drops from both flavors to the one the server has.
 */
async function settleResize(db: Db, row: ResourceRow, updated: ResourceRow): Promise<boolean> {
  const d = row.desired as { quota?: Amounts; previousQuota?: Amounts | null };
  if (row.status !== "VERIFY_RESIZE" || updated.status === "VERIFY_RESIZE" || !d.previousQuota || !d.quota)
    return false;
  const confirmed = updated.attrs.flavorName === row.attrs.flavorName;
  const [prev, next] = [d.previousQuota, d.quota];
  await db.transaction(async (tx) => {
    await releaseUsage(tx, row.projectId, confirmed ? amountsOver(prev, next) : amountsOver(next, prev));
    await tx
      .update(resources)
      .set({ desired: { ...updated.desired, quota: confirmed ? next : prev, previousQuota: null } })
      .where(eq(resources.id, row.id));
  });
  return true;
}

/** Usage follows a flavor changed outside the portal (what Nova now holds is what is used). */
async function followFlavor(db: Db, row: ResourceRow): Promise<void> {
  const d = row.desired as { quota?: Amounts; quotaCommitted?: boolean };
  if (!d.quotaCommitted || typeof row.attrs.vcpus !== "number" || typeof row.attrs.ramMb !== "number") return;
  const next = flavorAmounts({ vcpus: row.attrs.vcpus, ramMb: row.attrs.ramMb });
  await db.transaction(async (tx) => {
    if (d.quota) await releaseUsage(tx, row.projectId, d.quota);
    await addUsage(tx, row.projectId, next);
    await tx
      .update(resources)
      .set({ desired: { ...row.desired, quota: next, previousQuota: null } })
      .where(eq(resources.id, row.id));
  });
}

/** Whether the row's elastic IPs are those Neutron holds for its ports (associated elsewhere, say). */
function sameElastic(row: ResourceRow, elastic: { address: string; portId: string | null }[]): boolean {
  const ports = new Set(((row.observed.interfaces ?? []) as { port_id?: string }[]).map((i) => i.port_id));
  const held = elastic.filter((e) => e.portId && ports.has(e.portId)).map((e) => e.address);
  const shown =
    typeof row.attrs.floatingIps === "string" && row.attrs.floatingIps
      ? row.attrs.floatingIps.split(",")
      : [];
  return held.length === shown.length && held.every((a) => shown.includes(a));
}

function changed(row: ResourceRow, s: Server): boolean {
  const a = row.attrs;
  return (
    row.status !== s.status ||
    (a.taskState ?? null) !== (s["OS-EXT-STS:task_state"] ?? null) ||
    (a.locked === true) !== (s.locked === true) ||
    (s.flavor?.original_name !== undefined && s.flavor.original_name !== a.flavorName) ||
    JSON.stringify((row.observed.server as Server | undefined)?.addresses ?? {}) !==
      JSON.stringify(s.addresses ?? {})
  );
}

export const computeReconciler: KindReconciler = {
  kind: "compute.instance",
  async reconcile({ db, region }) {
    const rows = await db.select().from(projects).where(eq(projects.status, "active"));
    let checked = 0;
    let corrected = 0;
    for (const project of rows) {
      if (!project.upstream[region]?.keystoneProjectId) continue;
      try {
        // the catalogue first: the instances' elastic IPs are read from its Neutron mirror
        corrected += await syncCatalog(db, project, region);
        const r = await reconcileInstances(db, project, region);
        checked += r.checked;
        corrected += r.corrected;
      } catch (e) {
        log.warn("compute reconcile failed", { project: project.slug, region, error: e });
      }
    }
    return { checked, corrected };
  },
};
