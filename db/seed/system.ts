// Seeds every installation needs: the system roles and the default quotas. Idempotent.
import { and, eq, isNull } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { defaultQuotas, roles } from "@/db/schema";
import { systemRoles } from "@/server/iam/permissions";
import { quotaResourceNames, quotaResources } from "@/server/quota/resources";

export async function seedSystem(db: DbOrTx): Promise<void> {
  for (const [key, role] of Object.entries(systemRoles)) {
    const [existing] = await db
      .select({ id: roles.id })
      .from(roles)
      .where(and(isNull(roles.orgId), eq(roles.key, key)));
    const values = {
      name: role.name,
      description: role.description,
      scopes: role.scopes,
      permissions: role.permissions,
      isSystem: true,
      updatedAt: new Date(),
    };
    // System roles follow the code: a new permission reaches them at the next start.
    if (existing) await db.update(roles).set(values).where(eq(roles.id, existing.id));
    else await db.insert(roles).values({ key, orgId: null, ...values });
  }
  await db
    .insert(defaultQuotas)
    .values(
      quotaResourceNames.map((r) => ({
        resource: r,
        orgLimit: quotaResources[r].orgDefault,
        projectLimit: quotaResources[r].projectDefault,
      })),
    )
    .onConflictDoNothing();
}
