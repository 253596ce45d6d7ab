import { z } from "zod";
import { auditFacets } from "@/server/services/audit/list";
import { orgProcedure } from "@/server/trpc";

export const listFacets = orgProcedure
  .meta({
    permission: "audit.event.list",
    openapi: {
      method: "GET",
      path: "/tenant/v1/organizations/{org}/audit-events/facets",
      tags: ["audit"],
      summary: "Values the activity log's filters offer",
    },
  })
  .output(
    z.object({
      actions: z.array(z.string()).describe("Every action logged in the organisation"),
      targetKinds: z.array(z.string()).describe("Resource kinds of recent events"),
      actors: z
        .array(z.object({ id: z.string().nullable(), email: z.string() }))
        .describe("Actors of recent events"),
    }),
  )
  .query(({ ctx }) => auditFacets(ctx.db, ctx.org.id));
