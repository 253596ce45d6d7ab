import { z } from "zod";
import { checkLogin } from "@/server/auth/password";
import { writeAudit } from "@/server/audit/write";
import { PUBLIC } from "@/server/iam/permissions";
import { publicProcedure } from "@/server/trpc";
import { issueApiToken } from "@/server/services/iam/tokens";

export const createTokenInput = z.object({
  email: z.string().trim().email().max(254).describe("Account email"),
  password: z.string().min(1).max(1024).describe("Account password"),
  name: z.string().trim().min(1).max(64).default("CLI").describe("Name shown in the token list"),
  expiresInDays: z.number().int().min(1).max(365).default(30).describe("Lifetime in days"),
});

export const createToken = publicProcedure
  .meta({
    permission: PUBLIC,
    auditAction: "iam.token.create",
    successStatus: 201,
    openapi: {
      method: "POST",
      path: "/common/v1/auth/tokens",
      tags: ["common"],
      summary: "Exchange email and password for an API token",
      protect: false,
    },
  })
  .input(createTokenInput)
  .output(z.object({ token: z.string().describe("Bearer token; shown only once"), expiresAt: z.date() }))
  .mutation(async ({ ctx, input }) => {
    const user = await checkLogin(ctx.db, input.email, input.password, ctx.actor.ip);
    const actor = { ...ctx.actor, userId: user.id, email: user.email, type: "user" as const };
    return ctx.db.transaction(async (tx) => {
      const issued = await issueApiToken(tx, user.id, {
        name: input.name,
        expiresInDays: input.expiresInDays,
      });
      await writeAudit(tx, actor, {
        action: "iam.token.create",
        orgId: null,
        target: { kind: "api-token", id: issued.id, name: input.name },
        data: { via: "password", expiresAt: issued.expiresAt.toISOString() },
      });
      ctx.actor.audit.written = true;
      return { token: issued.token, expiresAt: issued.expiresAt };
    });
  });
