// Inventory: every resource the portal knows, whatever its kind. Lists read this, never upstream.
import { sql } from "drizzle-orm";
import { index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";

const ts = () => timestamp({ withTimezone: true });

export const resources = pgTable(
  "resources",
  {
    id: uuid().primaryKey().defaultRandom(),
    kind: text().notNull(),
    orgId: uuid().notNull(),
    projectId: uuid().notNull(),
    region: text().notNull(),
    availabilityZone: text(),
    name: text().notNull(),
    status: text().notNull(),
    /** At most five key/value labels (enforced by the service and a check). */
    labels: jsonb().$type<Record<string, string>>().notNull().default({}),
    /** The upstream id (a Nova server id, say); null until the job created it. */
    providerRef: text(),
    desired: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    observed: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    /** Fields lists filter and sort on, copied out of observed (flavor, image, size...). */
    attrs: jsonb().$type<Record<string, string | number | boolean | null>>().notNull().default({}),
    createdBy: uuid(),
    createdAt: ts().notNull().defaultNow(),
    updatedAt: ts().notNull().defaultNow(),
    observedAt: ts(),
    deletedAt: ts(),
  },
  (t) => [
    index("resources_list_idx").on(t.projectId, t.kind, t.createdAt.desc(), t.id.desc()),
    index("resources_name_idx").on(t.projectId, t.kind, t.name, t.id),
    index("resources_status_idx").on(t.projectId, t.kind, t.status),
    index("resources_org_idx").on(t.orgId, t.kind),
    index("resources_labels_idx").using("gin", t.labels),
    index("resources_name_trgm_idx").using("gin", sql`lower(${t.name}) gin_trgm_ops`),
    // Per project: catalogue kinds (flavors, public images) are mirrored into every project that sees them.
    uniqueIndex("resources_provider_ref_key").on(t.projectId, t.kind, t.region, t.providerRef),
  ],
);
