// The procedure ladder: public → authed → org / project (scope resolved, membership checked) →
// the declared permission checked by one middleware. Mutations are audited here when the
// service did not already write their success event (failures and denials).
import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import type { OpenApiMeta } from "trpc-to-openapi";
import { z, ZodError } from "zod";
import { and, eq } from "drizzle-orm";
import { organizations, projects } from "@/db/schema";
import { writeAudit } from "./audit/write";
import type { Context } from "./context";
import { AppError, toAppError } from "./errors";
import { can, canSeeOrg, canSeeProject, worksInOrgProjects } from "./iam/access";
import { PUBLIC, SELF, type DeclaredPermission, type Permission } from "./iam/permissions";
import { log } from "./log";

export interface Meta extends OpenApiMeta {
  permission: DeclaredPermission;
  /** Org-scope procedure that any project-level grant in the org also opens (results are filtered by the service). */
  anyProject?: boolean;
  /** HTTP status of a successful REST answer (201 for creates, 202 for accepted jobs). */
  successStatus?: number;
  /** REST creates honour Idempotency-Key. */
  idempotent?: boolean;
  /** Audit action of a public or self-service mutation (others are audited under their permission). */
  auditAction?: string;
}

const t = initTRPC
  .context<Context>()
  .meta<Meta>()
  .create({
    transformer: superjson,
    // Live channel (SSE): pings keep idle streams open through proxies, and a client that hears
    // nothing for longer reconnects (with Last-Event-ID) instead of trusting a dead connection.
    sse: { ping: { enabled: true, intervalMs: 15_000 }, client: { reconnectAfterInactivityMs: 40_000 } },
    errorFormatter({ shape, error, ctx }) {
      const app = error.cause instanceof AppError ? error.cause : null;
      const zod = error.cause instanceof ZodError ? error.cause : null;
      return {
        ...shape,
        message: zod ? formatZod(zod) : shape.message,
        data: {
          ...shape.data,
          stack: undefined,
          appCode: app?.code ?? (zod ? "INVALID_INPUT" : null),
          field: app?.field ?? (zod ? zod.issues[0]?.path.join(".") : undefined),
          requestId: ctx?.requestId,
        },
      };
    },
  });

export function formatZod(err: ZodError): string {
  return err.issues.map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message)).join("; ");
}

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
export const middleware = t.middleware;

/** Every error leaves as a TRPCError carrying an AppError; unknown ones are logged with the request id. */
const errors = t.middleware(async ({ ctx, next, path }) => {
  const result = await next();
  if (!result.ok) {
    const cause = result.error.cause;
    if (result.error.code === "INTERNAL_SERVER_ERROR" && !(cause instanceof AppError)) {
      log.error("unhandled error", { path, requestId: ctx.requestId, error: cause ?? result.error });
    }
  }
  return result;
});

const DENIALS = new Set(["UNAUTHORIZED", "FORBIDDEN"]);

/** Exactly one event per mutation: the service writes success in its transaction; the rest lands here. */
const audit = t.middleware(async ({ ctx, type, next, path, meta }) => {
  if (type !== "mutation") return next();
  const result = await next();
  if (ctx.actor.audit.written) return result;
  const orgId = ctx.actor.audit.orgId ?? null;
  const projectId = ctx.actor.audit.projectId ?? null;
  const action =
    meta?.auditAction ??
    (meta?.permission && meta.permission !== PUBLIC && meta.permission !== SELF ? meta.permission : path);
  try {
    if (result.ok) {
      log.warn("mutation without a success audit event from its service", { path });
      await writeAudit(ctx.db, ctx.actor, {
        action,
        orgId,
        projectId,
        outcome: "success",
        data: { procedure: path },
      });
    } else {
      const app = toAppError(result.error.cause ?? result.error);
      const code = result.error.cause instanceof AppError ? app.code : result.error.code;
      const denied = DENIALS.has(result.error.code) || (code === "NOT_FOUND" && !ctx.actor.audit.orgId);
      await writeAudit(ctx.db, ctx.actor, {
        action,
        orgId: denied && code === "NOT_FOUND" ? null : orgId,
        projectId: denied && code === "NOT_FOUND" ? null : projectId,
        outcome: denied ? "denied" : "failure",
        errorCode: code,
        message:
          result.error.cause instanceof ZodError ? formatZod(result.error.cause) : result.error.message,
        data: { procedure: path },
      });
    }
  } catch (e) {
    log.error("could not write the audit event", { path, requestId: ctx.requestId, error: e });
  }
  return result;
});

const appErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof AppError && result.error.code === "INTERNAL_SERVER_ERROR") {
    // A service threw an AppError: give it its own code rather than a 500.
    throw result.error.cause.toTRPC();
  }
  return result;
});

export const publicProcedure = t.procedure.use(errors).use(audit).use(appErrors);

export const authedProcedure = publicProcedure.use(({ ctx, next, meta }) => {
  if (!ctx.principal || !ctx.grants) {
    throw new AppError("UNAUTHENTICATED", ctx.authError ?? "Sign in or send an API token").toTRPC();
  }
  if (!meta?.permission) throw new AppError("INTERNAL", "procedure without a declared permission").toTRPC();
  return next({ ctx: { ...ctx, principal: ctx.principal, grants: ctx.grants } });
});

function requirePermission(
  ctx: { grants: NonNullable<Context["grants"]> },
  permission: DeclaredPermission | undefined,
  scope: { orgId?: string; projectId?: string },
  anyProject = false,
): void {
  if (!permission) throw new AppError("INTERNAL", "procedure without a declared permission").toTRPC();
  if (permission === PUBLIC || permission === SELF) return;
  if (can(ctx.grants, permission, scope)) return;
  // Project-level users may call such org-scope procedures; the service filters to their projects.
  if (anyProject && scope.orgId && !scope.projectId && worksInOrgProjects(ctx.grants, scope.orgId)) return;
  throw new AppError("FORBIDDEN", `You do not have the permission ${permission} here`, {
    details: { permission },
  }).toTRPC();
}

/** Operator procedures: the permission must be held at platform scope. */
export const platformProcedure = authedProcedure.use(({ ctx, meta, next }) => {
  requirePermission(ctx, meta?.permission, {});
  return next();
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const idOrSlug = z.string().trim().min(1).max(64);

export const orgInput = z.object({ org: idOrSlug.describe("Organisation id or slug") });
export const projectInput = z.object({
  project: idOrSlug.describe("Project id or slug"),
  org: idOrSlug.optional().describe("Organisation id or slug (needed only when a project slug is ambiguous)"),
});

export type OrgRow = typeof organizations.$inferSelect;
export type ProjectRow = typeof projects.$inferSelect;

export const orgProcedure = authedProcedure.input(orgInput).use(async ({ ctx, input, meta, next }) => {
  const ref = input.org;
  const [org] = await ctx.db
    .select()
    .from(organizations)
    .where(UUID.test(ref) ? eq(organizations.id, ref) : eq(organizations.slug, ref.toLowerCase()))
    .limit(1);
  if (!org || !canSeeOrg(ctx.grants, org.id))
    throw new AppError("NOT_FOUND", `Organization ${ref} not found`).toTRPC();
  ctx.actor.audit.orgId = org.id;
  requirePermission(ctx, meta?.permission, { orgId: org.id }, meta?.anyProject);
  if (org.status !== "active" && ctx.grants.platform.size === 0) {
    throw new AppError("FORBIDDEN", `Organization ${org.slug} is suspended`).toTRPC();
  }
  return next({ ctx: { ...ctx, org } });
});

export const projectProcedure = authedProcedure
  .input(projectInput)
  .use(async ({ ctx, input, meta, next }) => {
    const ref = input.project;
    const rows = await ctx.db
      .select({ project: projects, org: organizations })
      .from(projects)
      .innerJoin(organizations, eq(organizations.id, projects.orgId))
      .where(
        and(
          UUID.test(ref) ? eq(projects.id, ref) : eq(projects.slug, ref.toLowerCase()),
          input.org
            ? UUID.test(input.org)
              ? eq(organizations.id, input.org)
              : eq(organizations.slug, input.org.toLowerCase())
            : undefined,
        ),
      )
      .limit(50);
    const visible = rows.filter((r) => canSeeProject(ctx.grants, r.org.id, r.project.id));
    if (visible.length === 0) throw new AppError("NOT_FOUND", `Project ${ref} not found`).toTRPC();
    if (visible.length > 1) {
      throw new AppError("CONFLICT", `More than one project is called ${ref}: use its id, or pass org`, {
        field: "project",
      }).toTRPC();
    }
    const { project, org } = visible[0]!;
    ctx.actor.audit.orgId = org.id;
    ctx.actor.audit.projectId = project.id;
    requirePermission(ctx, meta?.permission, { orgId: org.id, projectId: project.id });
    if (org.status !== "active" && ctx.grants.platform.size === 0) {
      throw new AppError("FORBIDDEN", `Organization ${org.slug} is suspended`).toTRPC();
    }
    return next({ ctx: { ...ctx, org, project } });
  });

/** For procedures that find their own scope (a job or quota request by id): check after loading. */
export function assertPermission(
  ctx: { grants: NonNullable<Context["grants"]>; actor: Context["actor"] },
  permission: Permission,
  scope: { orgId: string; projectId?: string | null },
  what: string,
): void {
  const s = { orgId: scope.orgId, projectId: scope.projectId ?? undefined };
  const visible = scope.projectId
    ? canSeeProject(ctx.grants, scope.orgId, scope.projectId)
    : canSeeOrg(ctx.grants, scope.orgId);
  if (!visible) throw new AppError("NOT_FOUND", `${what} not found`);
  ctx.actor.audit.orgId = scope.orgId;
  ctx.actor.audit.projectId = scope.projectId ?? null;
  if (!can(ctx.grants, permission, s)) {
    throw new AppError("FORBIDDEN", `You do not have the permission ${permission} here`, {
      details: { permission },
    });
  }
}

export { TRPCError };
