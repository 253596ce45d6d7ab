// Platform default quotas: what a new organisation and a new project start with. Changing them
// affects only organisations and projects created afterwards.
import { sql } from "drizzle-orm";
import type { DbOrTx, Tx } from "@/db/client";
import { defaultQuotas } from "@/db/schema";
import type { Actor } from "@/server/audit/actor";
import { writeAudit } from "@/server/audit/write";
import { AppError } from "@/server/errors";
import { quotaResourceNames, quotaResources, type QuotaResource } from "@/server/quota/resources";
import { orgDefaults } from "@/server/services/orgs";

export interface DefaultQuota {
  resource: QuotaResource;
  orgLimit: number;
  projectLimit: number;
  updatedAt: Date | null;
}

export async function getDefaultQuotas(db: DbOrTx): Promise<DefaultQuota[]> {
  const [values, rows] = await Promise.all([orgDefaults(db), db.select().from(defaultQuotas)]);
  const stamps = new Map(rows.map((r) => [r.resource, r.updatedAt]));
  return quotaResourceNames.map((resource) => ({
    resource,
    orgLimit: values[resource]!.org,
    projectLimit: values[resource]!.project,
    updatedAt: stamps.get(resource) ?? null,
  }));
}

export async function updateDefaultQuotas(
  tx: Tx,
  actor: Actor,
  items: { resource: QuotaResource; orgLimit?: number; projectLimit?: number }[],
): Promise<DefaultQuota[]> {
  // Serialise editors so the org ≥ project check sees the other's write.
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext('quota:defaults'))`);
  const current = await orgDefaults(tx);
  const changes: {
    resource: QuotaResource;
    before: { org: number; project: number };
    after: (typeof current)[string];
  }[] = [];
  for (const [i, item] of items.entries()) {
    const before = current[item.resource]!;
    const after = { org: item.orgLimit ?? before.org, project: item.projectLimit ?? before.project };
    if (after.project > after.org) {
      const meta = quotaResources[item.resource];
      throw new AppError(
        "INVALID_INPUT",
        `items.${i}: the project default for ${meta.label} (${after.project}) cannot exceed the organisation default (${after.org})`,
        { field: `items.${i}.projectLimit` },
      );
    }
    if (after.org === before.org && after.project === before.project) continue;
    changes.push({ resource: item.resource, before, after });
    current[item.resource] = after;
    await tx
      .insert(defaultQuotas)
      .values({ resource: item.resource, orgLimit: after.org, projectLimit: after.project })
      .onConflictDoUpdate({
        target: defaultQuotas.resource,
        set: { orgLimit: after.org, projectLimit: after.project, updatedAt: new Date() },
      });
  }
  await writeAudit(tx, actor, {
    action: "quota.defaults.update",
    orgId: null,
    target: { kind: "default-quotas", name: "Default quotas" },
    data: { changes },
  });
  return getDefaultQuotas(tx);
}
