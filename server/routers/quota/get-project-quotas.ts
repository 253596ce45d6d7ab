import { can } from "@/server/iam/access";
import { projectQuotaView } from "@/server/services/quota/views";
import { projectProcedure } from "@/server/trpc";
import { projectQuotaOutput } from "./schemas";

export const getProjectQuotas = projectProcedure
  .meta({
    permission: "quota.project.read",
    openapi: {
      method: "GET",
      path: "/tenant/v1/projects/{project}/quotas",
      tags: ["quotas"],
      summary: "Project quotas: limits, usage, reservations and health",
    },
  })
  .output(projectQuotaOutput)
  .query(async ({ ctx }) => {
    const view = await projectQuotaView(ctx.db, ctx.project, {
      withOrgRoom: can(ctx.grants, "quota.org.read", { orgId: ctx.org.id }),
    });
    return { project: { id: ctx.project.id, slug: ctx.project.slug, name: ctx.project.name }, ...view };
  });
