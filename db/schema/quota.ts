// Quotas: limits per organisation and project, usage and reservations, increase requests.
import { bigint, index, jsonb, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { organizations, projects, users } from "./iam";

const created = () => timestamp({ withTimezone: true }).notNull().defaultNow();

/** Platform defaults applied to new organisations and projects. */
export const defaultQuotas = pgTable("default_quotas", {
  resource: text().primaryKey(),
  orgLimit: bigint({ mode: "number" }).notNull(),
  projectLimit: bigint({ mode: "number" }).notNull(),
  updatedAt: created(),
});

export const orgQuotas = pgTable(
  "org_quotas",
  {
    orgId: uuid()
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    resource: text().notNull(),
    limit: bigint({ mode: "number" }).notNull(),
    updatedAt: created(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.resource] })],
);

/** The project row is the lock: reservations take it FOR UPDATE, so limits can never be exceeded. */
export const projectQuotas = pgTable(
  "project_quotas",
  {
    projectId: uuid()
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    orgId: uuid()
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    resource: text().notNull(),
    limit: bigint({ mode: "number" }).notNull(),
    used: bigint({ mode: "number" }).notNull().default(0),
    reserved: bigint({ mode: "number" }).notNull().default(0),
    updatedAt: created(),
  },
  (t) => [
    primaryKey({ columns: [t.projectId, t.resource] }),
    index("project_quotas_org_idx").on(t.orgId, t.resource),
  ],
);

export const quotaReservations = pgTable(
  "quota_reservations",
  {
    id: uuid().primaryKey().defaultRandom(),
    projectId: uuid()
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    jobId: uuid(),
    resourceId: uuid(),
    /** { instances: 1, vcpus: 2, ramGb: 4 } */
    amounts: jsonb().$type<Record<string, number>>().notNull(),
    /** reserved | committed | released */
    state: text().notNull().default("reserved"),
    createdAt: created(),
    settledAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    index("quota_reservations_job_idx").on(t.jobId),
    index("quota_reservations_project_idx").on(t.projectId, t.state),
  ],
);

export const quotaRequests = pgTable(
  "quota_requests",
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid()
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    projectId: uuid().references(() => projects.id, { onDelete: "cascade" }),
    requesterId: uuid().references(() => users.id, { onDelete: "set null" }),
    description: text().notNull(),
    /** High | Medium | Low */
    priority: text().notNull(),
    resources: jsonb().$type<{ resource: string; limit: number; previousLimit?: number }[]>().notNull(),
    tags: text().array().notNull().default([]),
    /** pending | approved | rejected */
    status: text().notNull().default("pending"),
    decidedBy: uuid().references(() => users.id, { onDelete: "set null" }),
    decidedAt: timestamp({ withTimezone: true }),
    decisionComment: text(),
    createdAt: created(),
    updatedAt: created(),
  },
  (t) => [index("quota_requests_org_idx").on(t.orgId, t.status, t.createdAt)],
);
