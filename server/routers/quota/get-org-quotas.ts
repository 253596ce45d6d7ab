import { orgQuotaView } from "@/server/services/quota/views";
import { orgProcedure } from "@/server/trpc";
import { orgQuotaOutput } from "./schemas";

export const getOrgQuotas = orgProcedure
  .meta({
    permission: "quota.org.read",
    openapi: {
      method: "GET",
      path: "/tenant/v1/organizations/{org}/quotas",
      tags: ["quotas"],
      summary: "Organisation quotas: limits, usage summed over its projects, per-project breakdown",
    },
  })
  .output(orgQuotaOutput)
  .query(async ({ ctx }) => {
    const view = await orgQuotaView(ctx.db, ctx.org, ctx.grants);
    return { org: { id: ctx.org.id, slug: ctx.org.slug, name: ctx.org.name }, ...view };
  });
