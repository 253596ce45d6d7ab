// Helpers shared by the IAM integration tests: the failure of a call as code + message, and
// users bound to ad-hoc custom roles (to test escalation with partial permission sets).
import { eq, sql } from "drizzle-orm";
import { TRPCError } from "@trpc/server";
import { ZodError } from "zod";
import type { Db } from "@/db/client";
import { auditEvents, memberships, roleBindings, roles } from "@/db/schema";
import { ensureUser } from "@/db/seed/demo";
import { AppError } from "@/server/errors";
import { appRouter } from "@/server/routers/_app";
import { formatZod } from "@/server/trpc";
import { contextFor, PASSWORD } from "@/test/personas";

export interface Failure {
  code: string;
  appCode: string | undefined;
  message: string;
}

/** The error a call fails with; throws if it succeeds, so a test cannot pass by accident. */
export async function failure(p: Promise<unknown>): Promise<Failure> {
  try {
    await p;
  } catch (e) {
    if (e instanceof TRPCError)
      return {
        code: e.code,
        appCode:
          e.cause instanceof AppError
            ? e.cause.code
            : e.cause instanceof ZodError
              ? "INVALID_INPUT"
              : undefined,
        // As clients see it: the HTTP layers format input errors the same way.
        message: e.cause instanceof ZodError ? formatZod(e.cause) : e.message,
      };
    if (e instanceof AppError) return { code: e.code, appCode: e.code, message: e.message };
    throw e;
  }
  throw new Error("expected the call to fail, and it succeeded");
}

/** A caller plus its context, to look at the audit events of exactly that request. */
export async function session(db: Db, email: string | null, ip = "127.0.0.1") {
  const ctx = await contextFor(db, email);
  ctx.actor.ip = ip;
  return { ctx, caller: appRouter.createCaller(ctx) };
}

export async function successEvents(db: Db, requestId: string) {
  return db
    .select()
    .from(auditEvents)
    .where(sql`${auditEvents.requestId} = ${requestId} and ${auditEvents.outcome} = 'success'`);
}

/** A member of the org holding a custom role made of exactly these permissions at org scope. */
export async function userWithPermissions(
  db: Db,
  orgId: string,
  email: string,
  permissions: string[],
  scope: { projectId?: string } = {},
): Promise<string> {
  const userId = await ensureUser(db, email, email.split("@")[0]!, PASSWORD);
  const key = `t-${email.split("@")[0]!.replace(/[^a-z0-9]/g, "")}`.slice(0, 40);
  const [role] = await db
    .insert(roles)
    .values({ orgId, key, name: key, scopes: ["org", "project"], permissions })
    .returning();
  await db.insert(memberships).values({ orgId, userId }).onConflictDoNothing();
  await db.insert(roleBindings).values({
    userId,
    roleId: role!.id,
    scopeType: scope.projectId ? "project" : "org",
    orgId,
    projectId: scope.projectId ?? null,
  });
  return userId;
}

export async function roleIdOf(db: Db, key: string): Promise<string> {
  const [r] = await db.select({ id: roles.id }).from(roles).where(eq(roles.key, key));
  return r!.id;
}
