// Quota reservations: taken under a row lock in the caller's transaction (with the job and the
// inventory row), committed to usage when the work succeeds, released when it fails.
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { projectQuotas, quotaReservations } from "@/db/schema";
import { AppError } from "@/server/errors";
import { quotaResources, type QuotaResource } from "./resources";

export type Amounts = Partial<Record<QuotaResource, number>>;

export async function reserveQuota(
  tx: Tx,
  project: { id: string; slug: string },
  amounts: Amounts,
  refs: { jobId?: string | null; resourceId?: string | null } = {},
): Promise<string> {
  const wanted = Object.entries(amounts).filter(([, n]) => (n ?? 0) > 0) as [QuotaResource, number][];
  if (wanted.length === 0) return "";
  // Lock in a fixed order so two reservations of overlapping resources cannot deadlock.
  const names = wanted.map(([r]) => r).sort();
  const rows = await tx
    .select()
    .from(projectQuotas)
    .where(and(eq(projectQuotas.projectId, project.id), inArray(projectQuotas.resource, names)))
    .orderBy(projectQuotas.resource)
    .for("update");
  for (const [resource, amount] of wanted) {
    const row = rows.find((r) => r.resource === resource);
    const limit = row?.limit ?? 0;
    const inUse = (row?.used ?? 0) + (row?.reserved ?? 0);
    if (inUse + amount > limit) {
      const meta = quotaResources[resource];
      const unit = meta.unit ? ` ${meta.unit}` : "";
      throw new AppError(
        "QUOTA_EXCEEDED",
        `Quota exceeded for ${meta.label} in project ${project.slug}: limit ${limit}${unit}, in use ${inUse}${unit}, requested ${amount}${unit}. Free some up or request an increase on the Quotas page.`,
        { field: resource, details: { resource, limit, inUse, requested: amount } },
      );
    }
  }
  for (const [resource, amount] of wanted) {
    await tx
      .update(projectQuotas)
      .set({ reserved: sql`${projectQuotas.reserved} + ${amount}`, updatedAt: new Date() })
      .where(and(eq(projectQuotas.projectId, project.id), eq(projectQuotas.resource, resource)));
  }
  const [res] = await tx
    .insert(quotaReservations)
    .values({
      projectId: project.id,
      jobId: refs.jobId ?? null,
      resourceId: refs.resourceId ?? null,
      amounts: Object.fromEntries(wanted),
    })
    .returning({ id: quotaReservations.id });
  return res!.id;
}

async function settle(tx: Tx, reservationId: string, to: "committed" | "released"): Promise<void> {
  const [res] = await tx
    .select()
    .from(quotaReservations)
    .where(and(eq(quotaReservations.id, reservationId), eq(quotaReservations.state, "reserved")))
    .for("update");
  if (!res) return; // already settled: settling is idempotent, a retried job may call it twice
  for (const [resource, amount] of Object.entries(res.amounts).sort(([a], [b]) => a.localeCompare(b))) {
    await tx
      .update(projectQuotas)
      .set({
        reserved: sql`greatest(${projectQuotas.reserved} - ${amount}, 0)`,
        ...(to === "committed" ? { used: sql`${projectQuotas.used} + ${amount}` } : {}),
        updatedAt: new Date(),
      })
      .where(and(eq(projectQuotas.projectId, res.projectId), eq(projectQuotas.resource, resource)));
  }
  await tx
    .update(quotaReservations)
    .set({ state: to, settledAt: new Date() })
    .where(eq(quotaReservations.id, reservationId));
}

export const commitReservation = (tx: Tx, id: string) => settle(tx, id, "committed");
export const releaseReservation = (tx: Tx, id: string) => settle(tx, id, "released");

/** Settles every open reservation of a job (on success or final failure). */
export async function settleJobReservations(
  tx: Tx,
  jobId: string,
  to: "committed" | "released",
): Promise<void> {
  const open = await tx
    .select({ id: quotaReservations.id })
    .from(quotaReservations)
    .where(and(eq(quotaReservations.jobId, jobId), eq(quotaReservations.state, "reserved")));
  for (const r of open) await settle(tx, r.id, to);
}

/** Deleting a resource gives its usage back. */
export async function releaseUsage(tx: Tx, projectId: string, amounts: Amounts): Promise<void> {
  for (const [resource, amount] of Object.entries(amounts).sort(([a], [b]) => a.localeCompare(b))) {
    if (!amount) continue;
    await tx
      .update(projectQuotas)
      .set({ used: sql`greatest(${projectQuotas.used} - ${amount}, 0)`, updatedAt: new Date() })
      .where(and(eq(projectQuotas.projectId, projectId), eq(projectQuotas.resource, resource)));
  }
}

/** Usage that already exists upstream (a change made outside the portal): counted, never refused. */
export async function addUsage(tx: Tx, projectId: string, amounts: Amounts): Promise<void> {
  for (const [resource, amount] of Object.entries(amounts).sort(([a], [b]) => a.localeCompare(b))) {
    if (!amount) continue;
    await tx
      .update(projectQuotas)
      .set({ used: sql`${projectQuotas.used} + ${amount}`, updatedAt: new Date() })
      .where(and(eq(projectQuotas.projectId, projectId), eq(projectQuotas.resource, resource)));
  }
}

/** What a has beyond b, per resource (never negative): the part of a usage that b does not cover. */
export function amountsOver(a: Amounts, b: Amounts): Amounts {
  return Object.fromEntries(
    Object.keys({ ...a, ...b }).map((k) => [
      k,
      Math.max(0, (a[k as keyof Amounts] ?? 0) - (b[k as keyof Amounts] ?? 0)),
    ]),
  ) as Amounts;
}
