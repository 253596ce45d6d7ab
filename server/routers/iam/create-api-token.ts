import { z } from "zod";
import { SELF } from "@/server/iam/permissions";
import { createApiToken as create } from "@/server/services/iam/tokens";
import { authedProcedure } from "@/server/trpc";
import { tokenOutput, toToken } from "./schemas";

export const createApiToken = authedProcedure
  .meta({
    permission: SELF,
    auditAction: "iam.token.create",
    successStatus: 201,
    idempotent: true,
    openapi: {
      method: "POST",
      path: "/common/v1/tokens",
      tags: ["common"],
      summary: "Create an API token (the secret is in this answer only)",
    },
  })
  .input(
    z.object({
      name: z.string().trim().min(1).max(64).describe("Name shown in the token list"),
      expiresInDays: z.number().int().min(1).max(365).default(30).describe("Lifetime in days (1-365)"),
      projectId: z
        .string()
        .uuid()
        .optional()
        .describe("Limit the token to this project (one you can see); omit for all of your access"),
    }),
  )
  .output(tokenOutput.extend({ token: z.string().describe("Bearer token; shown only once, store it now") }))
  .mutation(async ({ ctx, input }) => {
    const { token, view } = await ctx.db.transaction((tx) =>
      create(tx, ctx.actor, ctx.principal, ctx.grants, input),
    );
    return { ...toToken(view), token };
  });
