// Organisations: creation (with quotas from the platform defaults), listing for a principal.
import { asc, eq, inArray } from "drizzle-orm";
import type { DbOrTx, Tx } from "@/db/client";
import { defaultQuotas, organizations, orgQuotas } from "@/db/schema";
import type { Actor } from "@/server/audit/actor";
import { writeAudit } from "@/server/audit/write";
import { AppError } from "@/server/errors";
import type { Grants } from "@/server/iam/access";
import { quotaResourceNames, quotaResources } from "@/server/quota/resources";
import { SLUG, slugify } from "./slug";

export type OrgRow = typeof organizations.$inferSelect;

export { SLUG, slugify } from "./slug";

export async function orgDefaults(db: DbOrTx): Promise<Record<string, { org: number; project: number }>> {
  const rows = await db.select().from(defaultQuotas);
  const out: Record<string, { org: number; project: number }> = {};
  for (const r of quotaResourceNames)
    out[r] = { org: quotaResources[r].orgDefault, project: quotaResources[r].projectDefault };
  for (const r of rows) out[r.resource] = { org: r.orgLimit, project: r.projectLimit };
  return out;
}

export async function createOrganization(
  tx: Tx,
  actor: Actor,
  input: { name: string; slug?: string; auditData?: Record<string, unknown> },
): Promise<OrgRow> {
  const slug = input.slug ?? slugify(input.name);
  if (!SLUG.test(slug))
    throw new AppError("INVALID_INPUT", "slug: use lowercase letters, digits and dashes", { field: "slug" });
  const [taken] = await tx
    .select({ id: organizations.id })
    .from(organizations)
    .where(eq(organizations.slug, slug));
  if (taken)
    throw new AppError("CONFLICT", `An organization with the slug ${slug} already exists`, { field: "slug" });
  const [org] = await tx.insert(organizations).values({ name: input.name, slug }).returning();
  const defaults = await orgDefaults(tx);
  await tx
    .insert(orgQuotas)
    .values(
      quotaResourceNames.map((resource) => ({ orgId: org!.id, resource, limit: defaults[resource]!.org })),
    );
  await writeAudit(tx, actor, {
    action: "platform.organization.create",
    orgId: org!.id,
    target: { kind: "organization", id: org!.id, name: org!.name },
    // Callers that create more with the org (its first admin) describe it here: one event per mutation.
    data: { slug, ...input.auditData },
  });
  return org!;
}

/** The organisations a principal belongs to (all of them for platform roles). */
export async function listOrganizationsFor(db: DbOrTx, grants: Grants): Promise<OrgRow[]> {
  if (grants.platform.size > 0) return db.select().from(organizations).orderBy(asc(organizations.name));
  const ids = new Set<string>([
    ...grants.memberOf,
    ...grants.orgs.keys(),
    ...[...grants.projects.values()].map((p) => p.orgId),
  ]);
  if (ids.size === 0) return [];
  return db
    .select()
    .from(organizations)
    .where(inArray(organizations.id, [...ids]))
    .orderBy(asc(organizations.name));
}
