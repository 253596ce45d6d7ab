// The caller's own console state: preferences (merged, validated), saved table views,
// notifications, and the command palette's search over what the caller may see.
import { and, asc, count, desc, eq, inArray, isNull, or, sql, type Column, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { DbOrTx, Tx } from "@/db/client";
import { notifications, organizations, projects, resources, savedViews, userPreferences } from "@/db/schema";
import type { Actor } from "@/server/audit/actor";
import { writeAudit } from "@/server/audit/write";
import { AppError } from "@/server/errors";
import { can, canSeeOrg, canSeeProject, type Grants } from "@/server/iam/access";
import { isPermission, permissionCatalog, type Permission } from "@/server/iam/permissions";
import { notify } from "@/server/realtime/notify";
import { decodeCursor, encodeCursor } from "@/server/routers/shared";

export const THEMES = ["light", "dark", "system"] as const;
export const PAGE_SIZES = [10, 25, 50, 100, 200] as const;

/** Stored preferences; each field falls back to its default alone, so one bad value loses nothing else. */
export const preferencesSchema = z.object({
  theme: z.enum(THEMES).catch("system"),
  defaultOrg: z.string().nullable().catch(null),
  defaultProject: z.string().nullable().catch(null),
  defaultRegion: z.string().nullable().catch(null),
  tablePageSize: z
    .number()
    .refine((n) => (PAGE_SIZES as readonly number[]).includes(n))
    .catch(50),
});

export type Preferences = z.infer<typeof preferencesSchema>;
export type PreferencesPatch = Partial<Preferences>;

export const DEFAULT_PREFERENCES: Preferences = preferencesSchema.parse({});

export async function getPreferences(db: DbOrTx, userId: string): Promise<Preferences> {
  const [row] = await db.select().from(userPreferences).where(eq(userPreferences.userId, userId));
  return preferencesSchema.parse({ ...DEFAULT_PREFERENCES, ...(row?.prefs ?? {}) });
}

/**
 * Merges a patch into the stored preferences. The default org and project must be ones the caller
 * can see (a miss reads as not found, like everywhere else); the region one the cloud offers.
 */
export async function updatePreferences(
  tx: Tx,
  actor: Actor,
  grants: Grants,
  userId: string,
  patch: PreferencesPatch,
  regions: string[] | null,
): Promise<Preferences> {
  // Lock the row so two tabs saving at once merge rather than overwrite each other.
  await tx
    .insert(userPreferences)
    .values({ userId, prefs: {} })
    .onConflictDoNothing({ target: userPreferences.userId });
  const [row] = await tx
    .select()
    .from(userPreferences)
    .where(eq(userPreferences.userId, userId))
    .for("update");
  const before = preferencesSchema.parse({ ...DEFAULT_PREFERENCES, ...(row?.prefs ?? {}) });
  const next: Preferences = { ...before, ...patch };

  if (
    patch.defaultOrg !== undefined &&
    patch.defaultOrg !== before.defaultOrg &&
    patch.defaultProject === undefined
  )
    next.defaultProject = null; // a project of the old org makes no sense under the new one
  if (next.defaultOrg) {
    const [org] = await tx
      .select()
      .from(organizations)
      .where(eq(organizations.slug, next.defaultOrg.toLowerCase()));
    if (!org || !canSeeOrg(grants, org.id))
      throw new AppError("INVALID_INPUT", `defaultOrg: organization ${next.defaultOrg} not found`, {
        field: "defaultOrg",
      });
    next.defaultOrg = org.slug;
    if (next.defaultProject) {
      const [project] = await tx
        .select()
        .from(projects)
        .where(and(eq(projects.orgId, org.id), eq(projects.slug, next.defaultProject.toLowerCase())));
      if (!project || !canSeeProject(grants, org.id, project.id))
        throw new AppError(
          "INVALID_INPUT",
          `defaultProject: project ${next.defaultProject} not found in ${org.slug}`,
          { field: "defaultProject" },
        );
      next.defaultProject = project.slug;
    }
  } else if (next.defaultProject) {
    throw new AppError("INVALID_INPUT", "defaultProject: set defaultOrg first", { field: "defaultProject" });
  }
  if (next.defaultRegion && regions && !regions.includes(next.defaultRegion))
    throw new AppError(
      "INVALID_INPUT",
      `defaultRegion: unknown region ${next.defaultRegion} (known: ${regions.join(", ") || "none"})`,
      { field: "defaultRegion" },
    );

  await tx
    .update(userPreferences)
    .set({ prefs: next, updatedAt: new Date() })
    .where(eq(userPreferences.userId, userId));
  const changed = Object.keys(patch).filter(
    (k) => before[k as keyof Preferences] !== next[k as keyof Preferences],
  );
  await writeAudit(tx, actor, {
    action: "prefs.preferences.update",
    orgId: null,
    target: { kind: "user-preferences", id: userId },
    data: {
      changed,
      before: Object.fromEntries(changed.map((k) => [k, before[k as keyof Preferences]])),
      after: Object.fromEntries(changed.map((k) => [k, next[k as keyof Preferences]])),
    },
  });
  return next;
}

// Saved views ---------------------------------------------------------------------------------

export type SavedViewRow = typeof savedViews.$inferSelect;
export const MAX_VIEWS_PER_KIND = 50;

export async function listSavedViews(db: DbOrTx, userId: string, kind?: string): Promise<SavedViewRow[]> {
  return db
    .select()
    .from(savedViews)
    .where(and(eq(savedViews.userId, userId), kind ? eq(savedViews.kind, kind) : undefined))
    .orderBy(asc(savedViews.kind), asc(savedViews.name));
}

export async function createSavedView(
  tx: Tx,
  actor: Actor,
  userId: string,
  input: { kind: string; name: string; query: string },
): Promise<SavedViewRow> {
  // Serialise creates of one user and kind so the name check and the cap hold under concurrency.
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`saved-views:${userId}:${input.kind}`}))`);
  const existing = await tx
    .select({ name: savedViews.name })
    .from(savedViews)
    .where(and(eq(savedViews.userId, userId), eq(savedViews.kind, input.kind)));
  if (existing.some((v) => v.name.toLowerCase() === input.name.toLowerCase()))
    throw new AppError("CONFLICT", `You already have a view called "${input.name}" for this list`, {
      field: "name",
    });
  if (existing.length >= MAX_VIEWS_PER_KIND)
    throw new AppError(
      "CONFLICT",
      `At most ${MAX_VIEWS_PER_KIND} saved views per list: delete one before saving another`,
    );
  const [row] = await tx
    .insert(savedViews)
    .values({ userId, ...input })
    .returning();
  await writeAudit(tx, actor, {
    action: "prefs.savedview.create",
    orgId: null,
    target: { kind: "saved-view", id: row!.id, name: row!.name },
    data: { kind: input.kind, query: input.query },
  });
  return row!;
}

export async function deleteSavedView(tx: Tx, actor: Actor, userId: string, id: string): Promise<void> {
  const [row] = await tx
    .delete(savedViews)
    .where(and(eq(savedViews.id, id), eq(savedViews.userId, userId)))
    .returning();
  // Another user's view reads exactly like a missing one.
  if (!row) throw new AppError("NOT_FOUND", `Saved view ${id} not found`);
  await writeAudit(tx, actor, {
    action: "prefs.savedview.delete",
    orgId: null,
    target: { kind: "saved-view", id: row.id, name: row.name },
    data: { kind: row.kind },
  });
}

// Notifications -------------------------------------------------------------------------------

export type NotificationRow = typeof notifications.$inferSelect;

const TIMESTAMP_TEXT = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?([+-]\d{2}(:?\d{2})?|Z)?$/;
const UUID_TEXT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface NewNotification {
  userId: string;
  orgId?: string | null;
  /** Machine kind ("quota.request.approved", "job.failed"). */
  kind: string;
  title: string;
  body?: string;
  /** Console path to open ("/acme/quota-requests?id=..."). */
  link?: string | null;
}

/** For other services: tells a user something, inside the caller's transaction (delivered live on commit). */
export async function createNotification(tx: DbOrTx, input: NewNotification): Promise<NotificationRow> {
  const [row] = await tx
    .insert(notifications)
    .values({
      userId: input.userId,
      orgId: input.orgId ?? null,
      kind: input.kind,
      title: input.title.slice(0, 200),
      body: (input.body ?? "").slice(0, 2000),
      link: input.link ?? null,
    })
    .returning();
  await notify(tx, { type: "notification", userId: input.userId });
  return row!;
}

export async function unreadCount(db: DbOrTx, userId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(notifications)
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)));
  return row?.n ?? 0;
}

export async function listNotifications(
  db: DbOrTx,
  userId: string,
  query: { unreadOnly: boolean; limit: number; cursor?: string },
): Promise<{ items: NotificationRow[]; nextCursor: string | null; unreadCount: number }> {
  const where: (SQL | undefined)[] = [eq(notifications.userId, userId)];
  if (query.unreadOnly) where.push(isNull(notifications.readAt));
  const cursor = decodeCursor(query.cursor);
  if (query.cursor && (!cursor || cursor.length !== 2))
    throw new AppError("INVALID_INPUT", "cursor: not a cursor from this list", { field: "cursor" });
  if (cursor) {
    // The key is Postgres's own text of the timestamp: a JS Date would drop the microseconds and
    // skip rows created within the same millisecond.
    const [at, id] = cursor.map(String) as [string, string];
    if (!TIMESTAMP_TEXT.test(at) || !UUID_TEXT.test(id))
      throw new AppError("INVALID_INPUT", "cursor: not a cursor from this list", { field: "cursor" });
    where.push(sql`(${notifications.createdAt}, ${notifications.id}) < (${at}::timestamptz, ${id}::uuid)`);
  }
  const rows = await db
    .select({ row: notifications, key: sql<string>`${notifications.createdAt}::text` })
    .from(notifications)
    .where(and(...where))
    .orderBy(desc(notifications.createdAt), desc(notifications.id))
    .limit(query.limit + 1);
  const items = rows.slice(0, query.limit);
  const last = items.at(-1);
  return {
    items: items.map((r) => r.row),
    nextCursor: rows.length > query.limit && last ? encodeCursor([last.key, last.row.id]) : null,
    unreadCount: await unreadCount(db, userId),
  };
}

export async function markNotificationsRead(
  tx: Tx,
  actor: Actor,
  userId: string,
  input: { ids?: string[]; all?: boolean },
): Promise<{ updated: number; unreadCount: number }> {
  if (!input.all && !input.ids?.length)
    throw new AppError("INVALID_INPUT", "ids: name the notifications to mark, or pass all: true", {
      field: "ids",
    });
  const rows = await tx
    .update(notifications)
    .set({ readAt: new Date() })
    .where(
      and(
        eq(notifications.userId, userId),
        isNull(notifications.readAt),
        input.all ? undefined : inArray(notifications.id, input.ids ?? []),
      ),
    )
    .returning({ id: notifications.id });
  await writeAudit(tx, actor, {
    action: "prefs.notification.read",
    orgId: null,
    target: { kind: "notification", id: rows.length === 1 ? rows[0]!.id : null },
    data: { updated: rows.length, all: Boolean(input.all) },
  });
  return { updated: rows.length, unreadCount: await unreadCount(tx, userId) };
}

// Search (command palette) ----------------------------------------------------------------------

export interface SearchHit {
  type: "project" | "resource";
  id: string;
  name: string;
  /** Resource kind ("compute.instance"); "project" for projects. */
  kind: string;
  status: string | null;
  orgSlug: string;
  orgName: string;
  projectSlug: string;
  projectName: string;
}

/**
 * The list permission that lets a caller see an inventory kind: "compute.instance" → compute.instance.list.
 * Kinds without a declared list permission need only sight of the project.
 */
export function listPermissionFor(kind: string): Permission | null {
  const direct = `${kind}.list`;
  if (isPermission(direct)) return direct;
  const suffix = `.${kind.split(".").pop()}.list`;
  const match = (Object.keys(permissionCatalog) as Permission[]).find((p) => p.endsWith(suffix));
  return match ?? null;
}

const escapeLike = (s: string) => s.replace(/[%_\\]/g, (c) => `\\${c}`);

export async function search(
  db: DbOrTx,
  grants: Grants,
  query: { q: string; limit: number; org?: string },
): Promise<SearchHit[]> {
  const q = query.q.trim().toLowerCase();
  if (!q) return [];
  const like = `%${escapeLike(q)}%`;
  const prefix = `${escapeLike(q)}%`;
  const platform = grants.platform.size > 0;
  const orgIds = [...grants.orgs.entries()].filter(([, p]) => p.size > 0).map(([id]) => id);
  const projectIds = [...grants.projects.keys()];
  if (!platform && orgIds.length === 0 && projectIds.length === 0) return [];

  // A first cut in SQL (only orgs and projects the caller holds anything in), then the exact rule per row.
  const scoped = (orgCol: Column, projectCol: Column): SQL | undefined =>
    platform
      ? undefined
      : or(
          orgIds.length ? inArray(orgCol, orgIds) : undefined,
          projectIds.length ? inArray(projectCol, projectIds) : undefined,
        );
  const orgFilter = query.org ? eq(organizations.slug, query.org.toLowerCase()) : undefined;
  const rank = (col: SQL) => sql`case when lower(${col}) like ${prefix} then 0 else 1 end`;

  const projectRows = await db
    .select({ project: projects, org: organizations })
    .from(projects)
    .innerJoin(organizations, eq(organizations.id, projects.orgId))
    .where(
      and(
        scoped(projects.orgId, projects.id),
        orgFilter,
        or(sql`lower(${projects.name}) like ${like}`, sql`${projects.slug} like ${like}`),
      ),
    )
    .orderBy(rank(sql`${projects.name}`), asc(projects.name))
    .limit(query.limit);

  const resourceRows = await db
    .select({ resource: resources, project: projects, org: organizations })
    .from(resources)
    .innerJoin(projects, eq(projects.id, resources.projectId))
    .innerJoin(organizations, eq(organizations.id, resources.orgId))
    .where(
      and(
        isNull(resources.deletedAt),
        scoped(resources.orgId, resources.projectId),
        orgFilter,
        sql`lower(${resources.name}) like ${like}`,
      ),
    )
    .orderBy(rank(sql`${resources.name}`), sql`length(${resources.name})`, asc(resources.name))
    .limit(query.limit * 3);

  const hits: SearchHit[] = [
    ...projectRows
      .filter((r) => canSeeProject(grants, r.org.id, r.project.id))
      .map(
        (r): SearchHit => ({
          type: "project",
          id: r.project.id,
          name: r.project.name,
          kind: "project",
          status: r.project.status,
          orgSlug: r.org.slug,
          orgName: r.org.name,
          projectSlug: r.project.slug,
          projectName: r.project.name,
        }),
      ),
    ...resourceRows
      .filter((r) => {
        const scope = { orgId: r.org.id, projectId: r.project.id };
        if (!canSeeProject(grants, scope.orgId, scope.projectId)) return false;
        const permission = listPermissionFor(r.resource.kind);
        return permission ? can(grants, permission, scope) : true;
      })
      .map(
        (r): SearchHit => ({
          type: "resource",
          id: r.resource.id,
          name: r.resource.name,
          kind: r.resource.kind,
          status: r.resource.status,
          orgSlug: r.org.slug,
          orgName: r.org.name,
          projectSlug: r.project.slug,
          projectName: r.project.name,
        }),
      ),
  ];
  // Prefix matches first, then shorter names: the likeliest target of a few typed letters.
  const score = (h: SearchHit) => (h.name.toLowerCase().startsWith(q) ? 0 : 1);
  return hits
    .sort((a, b) => score(a) - score(b) || a.name.length - b.name.length || a.name.localeCompare(b.name))
    .slice(0, query.limit);
}

// Dashboard counts ------------------------------------------------------------------------------

/**
 * Inventory counts per kind in an organisation (or one project), counting only the projects and
 * kinds the caller may list: a dashboard must not reveal what a list would hide.
 */
export async function resourceCounts(
  db: DbOrTx,
  grants: Grants,
  scope: { orgId: string; projectId?: string },
): Promise<{ kind: string; count: number }[]> {
  const rows = await db
    .select({ projectId: resources.projectId, kind: resources.kind, n: sql<number>`count(*)::int` })
    .from(resources)
    .where(
      and(
        eq(resources.orgId, scope.orgId),
        scope.projectId ? eq(resources.projectId, scope.projectId) : undefined,
        isNull(resources.deletedAt),
      ),
    )
    .groupBy(resources.projectId, resources.kind);
  const totals = new Map<string, number>();
  for (const r of rows) {
    const at = { orgId: scope.orgId, projectId: r.projectId };
    if (!canSeeProject(grants, at.orgId, at.projectId)) continue;
    const permission = listPermissionFor(r.kind);
    if (permission && !can(grants, permission, at)) continue;
    totals.set(r.kind, (totals.get(r.kind) ?? 0) + r.n);
  }
  return [...totals.entries()]
    .map(([kind, count]) => ({ kind, count }))
    .sort((a, b) => a.kind.localeCompare(b.kind));
}
