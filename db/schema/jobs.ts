// Jobs (user-visible records of work the worker does) and idempotency keys of creates.
import { index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";

const ts = () => timestamp({ withTimezone: true });

export interface JobStep {
  name: string;
  /** PENDING | RUNNING | SUCCEEDED | FAILED | SKIPPED */
  state: string;
  startedAt?: string;
  finishedAt?: string;
  error?: string;
  /** Whatever the step learnt that a retry must not learn again (an upstream id, say). */
  output?: Record<string, unknown>;
}

export const jobs = pgTable(
  "jobs",
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid().notNull(),
    projectId: uuid(),
    kind: text().notNull(),
    targetKind: text(),
    targetId: uuid(),
    targetName: text(),
    region: text(),
    /** PENDING | RUNNING | RETRYING | SUCCEEDED | FAILED */
    state: text().notNull().default("PENDING"),
    steps: jsonb().$type<JobStep[]>().notNull().default([]),
    attempts: integer().notNull().default(0),
    maxAttempts: integer().notNull().default(8),
    lastError: text(),
    input: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    output: jsonb().$type<Record<string, unknown>>(),
    createdBy: uuid(),
    requestId: text(),
    nextRunAt: ts(),
    /** A worker holds the job while this is in the future; an expired lease means the worker died. */
    leaseUntil: ts(),
    createdAt: ts().notNull().defaultNow(),
    updatedAt: ts().notNull().defaultNow(),
    startedAt: ts(),
    finishedAt: ts(),
  },
  (t) => [
    index("jobs_project_idx").on(t.projectId, t.createdAt.desc(), t.id.desc()),
    index("jobs_org_idx").on(t.orgId, t.createdAt.desc()),
    index("jobs_state_idx").on(t.state),
    index("jobs_target_idx").on(t.targetId),
  ],
);

/** A create answered once is answered the same way again for the same key and body. */
export const idempotencyKeys = pgTable(
  "idempotency_keys",
  {
    /** user id or token id: keys never collide across callers. */
    principal: text().notNull(),
    key: text().notNull(),
    procedure: text().notNull(),
    requestHash: text().notNull(),
    /** in_progress | done */
    state: text().notNull().default("in_progress"),
    status: integer(),
    response: jsonb(),
    createdAt: ts().notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.principal, t.key] })],
);
