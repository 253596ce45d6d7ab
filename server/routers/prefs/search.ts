import { z } from "zod";
import { SELF } from "@/server/iam/permissions";
import { search as find } from "@/server/services/prefs";
import { authedProcedure } from "@/server/trpc";

export const search = authedProcedure
  .meta({
    // Any signed-in user may search; the service returns only what the caller may see.
    permission: SELF,
    openapi: {
      method: "GET",
      path: "/common/v1/search",
      tags: ["common"],
      summary: "Find projects and resources by name (the command palette)",
    },
  })
  .input(
    z.object({
      q: z.string().trim().min(1).max(100).describe("Name or part of it (case-insensitive)"),
      org: z.string().trim().min(1).max(64).optional().describe("Only this organisation (slug)"),
      limit: z.coerce.number().int().min(1).max(50).default(20).describe("Most results (1-50)"),
    }),
  )
  .output(
    z.object({
      items: z.array(
        z.object({
          type: z.enum(["project", "resource"]),
          id: z.string().uuid(),
          name: z.string(),
          kind: z.string().describe("Resource kind, or project"),
          status: z.string().nullable(),
          orgSlug: z.string(),
          orgName: z.string(),
          projectSlug: z.string(),
          projectName: z.string(),
        }),
      ),
    }),
  )
  .query(async ({ ctx, input }) => ({ items: await find(ctx.db, ctx.grants, input) }));
