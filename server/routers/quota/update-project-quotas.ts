import { z } from "zod";
import { can } from "@/server/iam/access";
import { updateProjectQuotas as update } from "@/server/services/quota/limits";
import { projectQuotaView } from "@/server/services/quota/views";
import { projectProcedure } from "@/server/trpc";
import { limitChangeOutput, limitsInput, projectQuotaOutput } from "./schemas";

export const updateProjectQuotas = projectProcedure
  .meta({
    permission: "quota.project.update",
    openapi: {
      method: "PUT",
      path: "/tenant/v1/projects/{project}/quotas",
      tags: ["quotas"],
      summary: "Change project limits within what the organisation has left",
      description:
        "Raising a limit beyond what the organisation has left to allocate is refused (422) naming the resource and the numbers; lowering below what is in use (used + reserved) is refused (409).",
    },
  })
  .input(z.object({ limits: limitsInput }))
  .output(projectQuotaOutput.extend({ changes: z.array(limitChangeOutput).describe("What changed") }))
  .mutation(async ({ ctx, input }) => {
    const changes = await ctx.db.transaction((tx) =>
      update(tx, ctx.actor, ctx.org, ctx.project, input.limits),
    );
    const view = await projectQuotaView(ctx.db, ctx.project, {
      withOrgRoom: can(ctx.grants, "quota.org.read", { orgId: ctx.org.id }),
    });
    return {
      project: { id: ctx.project.id, slug: ctx.project.slug, name: ctx.project.name },
      ...view,
      changes: changes.map(({ scope, resource, before, after }) => ({ scope, resource, before, after })),
    };
  });
