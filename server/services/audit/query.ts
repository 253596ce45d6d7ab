// The activity log's filters, turned into SQL over the indexes of audit_events: the org/time
// index for order and keyset, the org/action and org/actor indexes, and the GIN full-text index.
import { and, eq, gte, inArray, like, lt, or, sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { auditEvents, projects, users } from "@/db/schema";
import { AppError } from "@/server/errors";

export const OUTCOMES = ["success", "failure", "denied"] as const;
export type AuditOutcome = (typeof OUTCOMES)[number];

/** The filters a reader gives (list, export and live feed share them). */
export interface AuditFilters {
  q?: string;
  /** Exact action, or a prefix ending in `*` (`resourcemanager.project.*`). */
  action?: string;
  /** Email or user id. */
  actor?: string;
  /** Project id or slug. */
  project?: string;
  outcome?: AuditOutcome;
  from?: Date;
  to?: Date;
  targetKind?: string;
  /** Events about one resource (its id). */
  targetId?: string;
}

/** Filters with their references resolved to ids, ready to be turned into SQL. */
export interface ResolvedFilters {
  orgId: string;
  q?: { text: string; words: { prefix: string; actions: string[] }[] };
  action?: { exact: string } | { prefix: string };
  actor?: { id: string } | { email: string };
  projectId?: string;
  outcome?: AuditOutcome;
  from?: Date;
  to?: Date;
  targetKind?: string;
  /** Events about one resource (its id). */
  targetId?: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_WORDS = 8;

/** Words of a search, reduced to what the text-search parser can match as a prefix. */
export function searchWords(q: string): string[] {
  return q
    .split(/\s+/)
    .map((w) => w.replace(/[^\p{L}\p{N}@._-]/gu, "").toLowerCase())
    .filter((w) => /[\p{L}\p{N}]/u.test(w))
    .slice(0, MAX_WORDS);
}

/** A quoted tsquery lexeme with a prefix marker: quotes inside are doubled, backslashes dropped. */
export function prefixLexeme(word: string): string {
  return `'${word.replaceAll("\\", "").replaceAll("'", "''")}':*`;
}

export function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * The distinct actions of an organisation, by a loose index scan of (org_id, action): one index
 * probe per distinct action instead of a scan of every event.
 */
export async function distinctActions(db: DbOrTx, orgId: string): Promise<string[]> {
  const rows = await db.execute<{ action: string | null }>(sql`
    with recursive a(action) as (
      (select action from audit_events where org_id = ${orgId} order by action limit 1)
      union all
      select (select e.action from audit_events e where e.org_id = ${orgId} and e.action > a.action order by e.action limit 1)
      from a where a.action is not null
    )
    select action from a where action is not null`);
  return rows.map((r) => r.action).filter((a): a is string => a !== null);
}

export async function resolveFilters(
  db: DbOrTx,
  orgId: string,
  filters: AuditFilters,
): Promise<ResolvedFilters> {
  const out: ResolvedFilters = { orgId };
  if (filters.from && filters.to && filters.from >= filters.to) {
    throw new AppError("INVALID_INPUT", "from: must be earlier than to", { field: "from" });
  }
  if (filters.from) out.from = filters.from;
  if (filters.to) out.to = filters.to;
  if (filters.outcome) out.outcome = filters.outcome;
  if (filters.targetKind) out.targetKind = filters.targetKind;
  if (filters.targetId) out.targetId = filters.targetId;
  if (filters.action) {
    out.action = filters.action.endsWith("*")
      ? { prefix: filters.action.slice(0, -1) }
      : { exact: filters.action };
  }
  if (filters.actor) {
    const ref = filters.actor.trim();
    if (UUID.test(ref)) out.actor = { id: ref.toLowerCase() };
    else {
      const email = ref.toLowerCase();
      // By user id when the user exists: it uses the (org, actor) index and also finds the
      // events the worker wrote on the user's behalf, which carry the id without the email.
      const [u] = await db
        .select({ id: users.id })
        .from(users)
        .where(sql`lower(${users.email}) = ${email}`)
        .limit(1);
      out.actor = u ? { id: u.id } : { email };
    }
  }
  if (filters.project) {
    const ref = filters.project.trim();
    if (UUID.test(ref)) out.projectId = ref.toLowerCase();
    else {
      const [p] = await db
        .select({ id: projects.id })
        .from(projects)
        .where(and(eq(projects.orgId, orgId), eq(projects.slug, ref.toLowerCase())))
        .limit(1);
      // A deleted project keeps its events: filter those by the project id shown on each event.
      if (!p)
        throw new AppError(
          "INVALID_INPUT",
          `project: no project ${ref} in this organisation (filter a deleted one by its id)`,
          { field: "project" },
        );
      out.projectId = p.id;
    }
  }
  if (filters.q?.trim()) {
    const words = searchWords(filters.q);
    // Actions are indexed as one token ("resourcemanager.project.create"), so a word in the
    // middle of one ("create") is matched against the organisation's distinct actions instead.
    const actions = words.length > 0 ? await distinctActions(db, orgId) : [];
    out.q = {
      text: filters.q.trim(),
      words: words.map((w) => ({ prefix: w, actions: actions.filter((a) => a.toLowerCase().includes(w)) })),
    };
  }
  return out;
}

export function filterConditions(f: ResolvedFilters): SQL[] {
  const conds: SQL[] = [eq(auditEvents.orgId, f.orgId)];
  if (f.action) {
    conds.push(
      "exact" in f.action
        ? eq(auditEvents.action, f.action.exact)
        : like(auditEvents.action, `${escapeLike(f.action.prefix)}%`),
    );
  }
  if (f.actor) {
    conds.push(
      "id" in f.actor
        ? eq(auditEvents.actorId, f.actor.id)
        : sql`lower(${auditEvents.actorEmail}) = ${f.actor.email}`,
    );
  }
  if (f.projectId) conds.push(eq(auditEvents.projectId, f.projectId));
  if (f.outcome) conds.push(eq(auditEvents.outcome, f.outcome));
  if (f.targetKind) conds.push(eq(auditEvents.targetKind, f.targetKind));
  if (f.targetId) conds.push(eq(auditEvents.targetId, f.targetId));
  if (f.from) conds.push(gte(auditEvents.createdAt, f.from));
  if (f.to) conds.push(lt(auditEvents.createdAt, f.to));
  if (f.q) {
    // Every word must match. A plain word matches as a prefix (typing "front" finds "frontend");
    // a compound one ("web-2", an email) as the parser's exact tokens, which keeps it selective.
    const perWord = f.q.words.map((w) => {
      const text = /^[\p{L}\p{N}]+$/u.test(w.prefix)
        ? sql`${auditEvents.search} @@ to_tsquery('simple', ${prefixLexeme(w.prefix)})`
        : sql`${auditEvents.search} @@ plainto_tsquery('simple', ${w.prefix})`;
      return w.actions.length > 0 ? or(text, inArray(auditEvents.action, w.actions))! : text;
    });
    if (perWord.length > 0) conds.push(and(...perWord)!);
  }
  return conds;
}
