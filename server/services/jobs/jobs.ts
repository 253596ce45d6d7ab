// Reading jobs: a project's jobs and an organisation's (running ones first), keyset-paginated,
// and one job with its steps. Jobs are written by server/jobs (createJob, the runner).
import { and, eq, ilike, inArray, notInArray, or, sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { jobs, organizations, projects, users, type JobStep } from "@/db/schema";
import { AppError } from "@/server/errors";
import { can, type Grants } from "@/server/iam/access";
import { getWorkflow } from "@/server/jobs/workflows";

export const JOB_STATES = ["PENDING", "RUNNING", "RETRYING", "SUCCEEDED", "FAILED"] as const;
export type JobState = (typeof JOB_STATES)[number];
export const ACTIVE_STATES: JobState[] = ["PENDING", "RUNNING", "RETRYING"];
export const STEP_STATES = ["PENDING", "RUNNING", "SUCCEEDED", "FAILED", "SKIPPED"] as const;
export type StepState = (typeof STEP_STATES)[number];

export interface JobFilters {
  states?: JobState[];
  kind?: string;
  /** Jobs on one resource. */
  targetId?: string;
  /** Part of the target's name, or of the kind. */
  q?: string;
}

export interface JobItem {
  id: string;
  kind: string;
  title: string;
  state: JobState;
  org: { id: string; slug: string };
  project: { id: string; slug: string | null; name: string | null } | null;
  target: { kind: string; id: string | null; name: string | null } | null;
  region: string | null;
  progress: { done: number; total: number; current: string | null };
  attempts: number;
  maxAttempts: number;
  lastError: string | null;
  createdBy: { id: string; email: string | null; name: string | null } | null;
  requestId: string | null;
  createdAt: Date;
  updatedAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  nextRunAt: Date | null;
}

export interface JobStepItem {
  name: string;
  state: StepState;
  startedAt: Date | null;
  finishedAt: Date | null;
  error: string | null;
}

export interface JobDetail extends JobItem {
  steps: JobStepItem[];
}

const columns = {
  job: jobs,
  // created_at keeps microseconds (a JS Date only milliseconds): cursors carry its exact text.
  at: sql<string>`${jobs.createdAt}::text`,
  orgSlug: organizations.slug,
  projectSlug: projects.slug,
  projectName: projects.name,
  creatorEmail: users.email,
  creatorName: users.name,
};

function select(db: DbOrTx, where: (SQL | undefined)[]) {
  return db
    .select(columns)
    .from(jobs)
    .innerJoin(organizations, eq(organizations.id, jobs.orgId))
    .leftJoin(projects, eq(projects.id, jobs.projectId))
    .leftJoin(users, eq(users.id, jobs.createdBy))
    .where(and(...where));
}

type Row = Awaited<ReturnType<typeof select>>[number];

const asState = (s: string): JobState =>
  (JOB_STATES as readonly string[]).includes(s) ? (s as JobState) : "PENDING";
const asStepState = (s: string): StepState =>
  (STEP_STATES as readonly string[]).includes(s) ? (s as StepState) : "PENDING";
const date = (s: string | undefined): Date | null => (s ? new Date(s) : null);

export function stepItems(steps: JobStep[]): JobStepItem[] {
  return steps.map((s) => ({
    name: s.name,
    state: asStepState(s.state),
    startedAt: date(s.startedAt),
    finishedAt: date(s.finishedAt),
    error: s.error ?? null,
  }));
}

function toItem(r: Row): JobItem {
  const j = r.job;
  const steps = j.steps ?? [];
  const current = steps.find((s) => s.state === "RUNNING" || s.state === "FAILED") ?? null;
  return {
    id: j.id,
    kind: j.kind,
    title: getWorkflow(j.kind)?.title ?? j.kind,
    state: asState(j.state),
    org: { id: j.orgId, slug: r.orgSlug },
    project: j.projectId ? { id: j.projectId, slug: r.projectSlug, name: r.projectName } : null,
    target: j.targetKind ? { kind: j.targetKind, id: j.targetId, name: j.targetName } : null,
    region: j.region,
    progress: {
      done: steps.filter((s) => s.state === "SUCCEEDED" || s.state === "SKIPPED").length,
      total: steps.length,
      current: current?.name ?? null,
    },
    attempts: j.attempts,
    maxAttempts: j.maxAttempts,
    lastError: j.lastError,
    createdBy: j.createdBy ? { id: j.createdBy, email: r.creatorEmail, name: r.creatorName } : null,
    requestId: j.requestId,
    createdAt: j.createdAt,
    updatedAt: j.updatedAt,
    startedAt: j.startedAt,
    finishedAt: j.finishedAt,
    nextRunAt: j.state === "RETRYING" ? j.nextRunAt : null,
  };
}

interface JobCursor {
  /** 0: active jobs (listed first in an organisation's list), 1: finished ones. */
  group: 0 | 1;
  /** The last row seen; null at the start of the group. */
  at: { createdAt: string; id: string } | null;
}

function encode(c: JobCursor): string {
  return Buffer.from(JSON.stringify([c.group, c.at?.createdAt ?? null, c.at?.id ?? null])).toString(
    "base64url",
  );
}

/** Postgres' text form of a timestamptz ("2026-03-01 12:00:00.123456+00"), checked before it reaches SQL. */
function validTimestamp(s: string): boolean {
  if (!/^\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(\.\d{1,6})?([+-]\d\d(:\d\d)?|Z)$/.test(s)) return false;
  const iso = s.replace(" ", "T").replace(/([+-]\d\d)$/, "$1:00");
  return !Number.isNaN(Date.parse(iso));
}

function decode(cursor: string): JobCursor {
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(v)) {
      const [group, at, id] = v as unknown[];
      if (group === 0 || group === 1) {
        if (at === null && id === null) return { group, at: null };
        if (
          typeof at === "string" &&
          validTimestamp(at) &&
          typeof id === "string" &&
          /^[0-9a-f-]{36}$/i.test(id)
        )
          return { group, at: { createdAt: at, id } };
      }
    }
  } catch {
    // fall through
  }
  throw new AppError("INVALID_INPUT", "cursor: not a cursor from this list; start again without it", {
    field: "cursor",
  });
}

const after = (c: { createdAt: string; id: string }) =>
  sql`(${jobs.createdAt}, ${jobs.id}) < (${c.createdAt}::timestamptz, ${c.id}::uuid)`;

function filterConditions(f: JobFilters): SQL[] {
  const out: SQL[] = [];
  if (f.states?.length) out.push(inArray(jobs.state, f.states));
  if (f.kind) out.push(eq(jobs.kind, f.kind));
  if (f.targetId) out.push(eq(jobs.targetId, f.targetId));
  if (f.q) {
    const like = `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    out.push(or(ilike(jobs.targetName, like), ilike(jobs.kind, like))!);
  }
  return out;
}

async function page(
  db: DbOrTx,
  where: SQL[],
  limit: number,
  at: JobCursor["at"],
): Promise<{ items: JobItem[]; more: boolean; last: JobCursor["at"] }> {
  const rows = await select(db, [...where, at ? after(at) : undefined])
    // NULLS LAST as in jobs_project_idx: Postgres uses an index for an ORDER BY only if they match.
    .orderBy(sql`${jobs.createdAt} desc nulls last`, sql`${jobs.id} desc nulls last`)
    .limit(limit + 1);
  const kept = rows.slice(0, limit);
  const end = kept[kept.length - 1];
  return {
    items: kept.map(toItem),
    more: rows.length > limit,
    last: end ? { createdAt: end.at, id: end.job.id } : null,
  };
}

/** A project's jobs, newest first. */
export async function listProjectJobs(
  db: DbOrTx,
  projectId: string,
  filters: JobFilters,
  opts: { limit: number; cursor?: string },
): Promise<{ items: JobItem[]; nextCursor: string | null }> {
  const cursor = opts.cursor ? decode(opts.cursor) : null;
  const { items, more, last } = await page(
    db,
    [eq(jobs.projectId, projectId), ...filterConditions(filters)],
    opts.limit,
    cursor?.at ?? null,
  );
  return { items, nextCursor: more && last ? encode({ group: 1, at: last }) : null };
}

/**
 * An organisation's jobs the caller may see: active ones first (newest first), then finished
 * ones (newest first). Holders of job.job.list at org scope see all; others their projects'.
 */
export async function listOrgJobs(
  db: DbOrTx,
  orgId: string,
  grants: Grants,
  filters: JobFilters & { projectId?: string },
  opts: { limit: number; cursor?: string },
): Promise<{ items: JobItem[]; nextCursor: string | null }> {
  const scope: SQL[] = [eq(jobs.orgId, orgId)];
  if (!can(grants, "job.job.list", { orgId })) {
    const visible = [...grants.projects.entries()]
      .filter(([, p]) => p.orgId === orgId && p.permissions.has("job.job.list"))
      .map(([id]) => id);
    if (visible.length === 0) return { items: [], nextCursor: null };
    scope.push(inArray(jobs.projectId, visible));
  }
  if (filters.projectId) scope.push(eq(jobs.projectId, filters.projectId));
  const where = [...scope, ...filterConditions(filters)];
  const cursor = opts.cursor ? decode(opts.cursor) : null;
  const items: JobItem[] = [];
  const finished = [...where, notInArray(jobs.state, ACTIVE_STATES)];
  if (!cursor || cursor.group === 0) {
    const active = await page(
      db,
      [...where, inArray(jobs.state, ACTIVE_STATES)],
      opts.limit,
      cursor?.at ?? null,
    );
    items.push(...active.items);
    if (active.more) return { items, nextCursor: encode({ group: 0, at: active.last }) };
    if (items.length === opts.limit) {
      // The page is full of active jobs: the finished ones start on the next page, if any.
      const probe = await page(db, finished, 1, null);
      return { items, nextCursor: probe.items.length > 0 ? encode({ group: 1, at: null }) : null };
    }
  }
  const done = await page(db, finished, opts.limit - items.length, cursor?.group === 1 ? cursor.at : null);
  items.push(...done.items);
  return { items, nextCursor: done.more && done.last ? encode({ group: 1, at: done.last }) : null };
}

/** One job, or null; the caller checks the reader's permission on the job's org and project. */
export async function getJob(db: DbOrTx, id: string): Promise<JobDetail | null> {
  const [row] = await select(db, [eq(jobs.id, id)]).limit(1);
  if (!row) return null;
  return { ...toItem(row), steps: stepItems(row.job.steps ?? []) };
}

/** The kinds of job run in an organisation, with their titles (for the kind filter). */
export async function jobKinds(db: DbOrTx, orgId: string): Promise<{ kind: string; title: string }[]> {
  const rows = await db.selectDistinct({ kind: jobs.kind }).from(jobs).where(eq(jobs.orgId, orgId));
  return rows
    .map((r) => ({ kind: r.kind, title: getWorkflow(r.kind)?.title ?? r.kind }))
    .sort((a, b) => a.title.localeCompare(b.title));
}
