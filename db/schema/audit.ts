// The activity log: append-only, hash-chained per organisation (chain "platform" for operator events).
import { sql, type SQL } from "drizzle-orm";
import {
  bigint,
  bigserial,
  customType,
  index,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

const tsvector = customType<{ data: string }>({ dataType: () => "tsvector" });

export const auditEvents = pgTable(
  "audit_events",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    /** org id, or "platform" for events outside any organisation. */
    chain: text().notNull(),
    seq: bigint({ mode: "number" }).notNull(),
    orgId: uuid(),
    projectId: uuid(),
    actorId: uuid(),
    actorEmail: text(),
    /** user | token | system | anonymous */
    actorType: text().notNull(),
    action: text().notNull(),
    targetKind: text(),
    targetId: text(),
    targetName: text(),
    /** success | failure | denied */
    outcome: text().notNull(),
    errorCode: text(),
    message: text(),
    requestId: text(),
    ip: text(),
    userAgent: text(),
    data: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    createdAt: timestamp({ withTimezone: true, precision: 3 }).notNull(),
    prevHash: text().notNull(),
    hash: text().notNull(),
    search: tsvector().generatedAlwaysAs(
      (): SQL =>
        sql`to_tsvector('simple', coalesce(${auditEvents.action}, '') || ' ' || coalesce(${auditEvents.actorEmail}, '') || ' ' || coalesce(${auditEvents.targetName}, '') || ' ' || coalesce(${auditEvents.targetKind}, '') || ' ' || coalesce(${auditEvents.message}, ''))`,
    ),
  },
  (t) => [
    uniqueIndex("audit_events_chain_seq_key").on(t.chain, t.seq),
    index("audit_events_org_time_idx").on(t.orgId, t.createdAt.desc(), t.id.desc()),
    index("audit_events_org_action_idx").on(t.orgId, t.action, t.createdAt.desc()),
    index("audit_events_org_actor_idx").on(t.orgId, t.actorId, t.createdAt.desc()),
    index("audit_events_target_idx").on(t.targetId),
    index("audit_events_search_idx").using("gin", t.search),
  ],
);
