// Reading the activity log: keyset pages on (created_at desc, id desc), single events for the
// live feed, and the values the filters offer (facets).
import { and, asc, eq, gt, inArray, isNotNull, sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { auditEvents, projects } from "@/db/schema";
import { AppError } from "@/server/errors";
import type { AuditOutcome, ResolvedFilters } from "./query";
import { distinctActions, filterConditions, OUTCOMES } from "./query";

export interface AuditEventItem {
  id: number;
  seq: number;
  createdAt: Date;
  actor: { id: string | null; email: string | null; type: string };
  org: { id: string; slug: string };
  project: { id: string; slug: string | null; name: string | null } | null;
  action: string;
  target: { kind: string; id: string | null; name: string | null } | null;
  outcome: AuditOutcome;
  errorCode: string | null;
  message: string | null;
  requestId: string | null;
  ip: string | null;
  userAgent: string | null;
  data: Record<string, unknown>;
  hash: string;
}

export interface OrgRef {
  id: string;
  slug: string;
}

/** The keyset position of an event in the log's order. */
export interface AuditCursor {
  createdAt: string;
  id: number;
}

export function encodeAuditCursor(c: AuditCursor): string {
  return Buffer.from(JSON.stringify([c.createdAt, c.id])).toString("base64url");
}

export function decodeAuditCursor(cursor: string): AuditCursor {
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (
      Array.isArray(v) &&
      typeof v[0] === "string" &&
      !Number.isNaN(Date.parse(v[0])) &&
      Number.isSafeInteger(v[1])
    ) {
      return { createdAt: v[0], id: v[1] as number };
    }
  } catch {
    // fall through to the error below
  }
  throw new AppError("INVALID_INPUT", "cursor: not a cursor from this list; start again without it", {
    field: "cursor",
  });
}

const columns = {
  id: auditEvents.id,
  seq: auditEvents.seq,
  createdAt: auditEvents.createdAt,
  orgId: auditEvents.orgId,
  projectId: auditEvents.projectId,
  actorId: auditEvents.actorId,
  actorEmail: auditEvents.actorEmail,
  actorType: auditEvents.actorType,
  action: auditEvents.action,
  targetKind: auditEvents.targetKind,
  targetId: auditEvents.targetId,
  targetName: auditEvents.targetName,
  outcome: auditEvents.outcome,
  errorCode: auditEvents.errorCode,
  message: auditEvents.message,
  requestId: auditEvents.requestId,
  ip: auditEvents.ip,
  userAgent: auditEvents.userAgent,
  data: auditEvents.data,
  hash: auditEvents.hash,
  projectSlug: projects.slug,
  projectName: projects.name,
};

function toItem(org: OrgRef, r: Row): AuditEventItem {
  return {
    id: r.id,
    seq: r.seq,
    createdAt: r.createdAt,
    actor: { id: r.actorId, email: r.actorEmail, type: r.actorType },
    org: { id: org.id, slug: org.slug },
    project: r.projectId ? { id: r.projectId, slug: r.projectSlug, name: r.projectName } : null,
    action: r.action,
    target: r.targetKind ? { kind: r.targetKind, id: r.targetId, name: r.targetName } : null,
    outcome: (OUTCOMES as readonly string[]).includes(r.outcome) ? (r.outcome as AuditOutcome) : "failure",
    errorCode: r.errorCode,
    message: r.message,
    requestId: r.requestId,
    ip: r.ip,
    userAgent: r.userAgent,
    data: r.data ?? {},
    hash: r.hash,
  };
}

function select(db: DbOrTx, where: SQL[]) {
  return db
    .select(columns)
    .from(auditEvents)
    .leftJoin(projects, eq(projects.id, auditEvents.projectId))
    .where(and(...where));
}

type Row = Awaited<ReturnType<typeof select>>[number];

// The indexes are declared "created_at DESC NULLS LAST, id DESC NULLS LAST", and Postgres matches an
// ORDER BY to an index only with the same NULLS placement (plain DESC means NULLS FIRST): without
// it every page would sort the whole organisation's log.
const newestFirst = [sql`${auditEvents.createdAt} desc nulls last`, sql`${auditEvents.id} desc nulls last`];
/** The same index read backwards. */
const oldestFirst = [sql`${auditEvents.createdAt} asc nulls first`, sql`${auditEvents.id} asc nulls first`];

export function afterCursor(c: AuditCursor): SQL {
  return sql`(${auditEvents.createdAt}, ${auditEvents.id}) < (${c.createdAt}::timestamptz, ${c.id}::bigint)`;
}

/** The query of one page (exposed so the benchmark can EXPLAIN exactly what the list runs). */
export function auditPageQuery(
  db: DbOrTx,
  filters: ResolvedFilters,
  page: { limit: number; cursor?: AuditCursor | null },
) {
  const where = filterConditions(filters);
  if (page.cursor) where.push(afterCursor(page.cursor));
  return select(db, where)
    .orderBy(...newestFirst)
    .limit(page.limit + 1);
}

/** A search the indexes cannot narrow (a rare combination over years of events) must not run on. */
export const SEARCH_TIMEOUT_MS = 8000;

function isQueryCanceled(e: unknown): boolean {
  for (let c: unknown = e; c; c = (c as { cause?: unknown }).cause) {
    if ((c as { code?: unknown }).code === "57014") return true;
  }
  return false;
}

async function bounded<T>(db: DbOrTx, run: (tx: DbOrTx) => Promise<T>): Promise<T> {
  try {
    return await db.transaction(async (tx) => {
      await tx.execute(sql.raw(`set local statement_timeout = ${SEARCH_TIMEOUT_MS}`));
      return run(tx);
    });
  } catch (e) {
    if (isQueryCanceled(e)) {
      throw new AppError(
        "UPSTREAM_TIMEOUT",
        `The search took longer than ${SEARCH_TIMEOUT_MS / 1000} s. Narrow the time range, or add an actor, action or project filter, and try again.`,
      );
    }
    throw e;
  }
}

/** One page, newest first. */
export async function listAuditEvents(
  db: DbOrTx,
  org: OrgRef,
  filters: ResolvedFilters,
  page: { limit: number; cursor?: AuditCursor | null },
): Promise<{ items: AuditEventItem[]; nextCursor: string | null }> {
  const rows = await bounded(db, (tx) => auditPageQuery(tx, filters, page));
  const items = rows.slice(0, page.limit).map((r) => toItem(org, r));
  const last = items[items.length - 1];
  return {
    items,
    nextCursor:
      rows.length > page.limit && last
        ? encodeAuditCursor({ createdAt: last.createdAt.toISOString(), id: last.id })
        : null,
  };
}

/** The events among `ids` that pass the filters (the live feed), oldest first. */
export async function auditEventsByIds(
  db: DbOrTx,
  org: OrgRef,
  filters: ResolvedFilters,
  ids: number[],
): Promise<AuditEventItem[]> {
  if (ids.length === 0) return [];
  const rows = await select(db, [...filterConditions(filters), inArray(auditEvents.id, ids)]).orderBy(
    asc(auditEvents.id),
  );
  return rows.map((r) => toItem(org, r));
}

/**
 * Events written since the one a reconnecting client saw last, oldest first. Ids are handed out
 * before commit, so a slightly older id can commit later: look back a few seconds before that
 * event and let the client drop the ones it already has.
 */
export async function auditEventsSince(
  db: DbOrTx,
  org: OrgRef,
  filters: ResolvedFilters,
  lastId: number,
  limit: number,
): Promise<{ items: AuditEventItem[]; complete: boolean }> {
  const [seen] = await db
    .select({ createdAt: auditEvents.createdAt })
    .from(auditEvents)
    .where(and(eq(auditEvents.id, lastId), eq(auditEvents.orgId, org.id)))
    .limit(1);
  const since = seen ? new Date(seen.createdAt.getTime() - 5000) : null;
  const where = [...filterConditions(filters)];
  where.push(
    since ? sql`${auditEvents.createdAt} >= ${since.toISOString()}::timestamptz` : gt(auditEvents.id, lastId),
  );
  const rows = await select(db, where)
    .orderBy(...oldestFirst)
    .limit(limit + 1);
  return { items: rows.slice(0, limit).map((r) => toItem(org, r)), complete: rows.length <= limit };
}

export interface AuditFacets {
  actions: string[];
  targetKinds: string[];
  actors: { id: string | null; email: string }[];
}

/** What the filters offer: every action ever logged in the org; kinds and actors of recent events. */
export async function auditFacets(db: DbOrTx, orgId: string, recent = 20_000): Promise<AuditFacets> {
  const recentEvents = db
    .select({
      targetKind: auditEvents.targetKind,
      actorId: auditEvents.actorId,
      actorEmail: auditEvents.actorEmail,
    })
    .from(auditEvents)
    .where(eq(auditEvents.orgId, orgId))
    .orderBy(...newestFirst)
    .limit(recent)
    .as("recent");
  const [actions, kinds, actors] = await Promise.all([
    distinctActions(db, orgId),
    db
      .selectDistinct({ kind: recentEvents.targetKind })
      .from(recentEvents)
      .where(isNotNull(recentEvents.targetKind)),
    db
      .selectDistinct({ id: recentEvents.actorId, email: recentEvents.actorEmail })
      .from(recentEvents)
      .where(isNotNull(recentEvents.actorEmail)),
  ]);
  const byEmail = new Map<string, { id: string | null; email: string }>();
  for (const a of actors)
    if (a.email && !byEmail.has(a.email)) byEmail.set(a.email, { id: a.id, email: a.email });
  return {
    actions,
    targetKinds: kinds
      .map((k) => k.kind)
      .filter((k): k is string => !!k)
      .sort(),
    actors: [...byEmail.values()].sort((a, b) => a.email.localeCompare(b.email)),
  };
}
