import { z } from "zod";
import { findOrganization } from "@/server/services/ops/organizations";
import { updateOrgQuotas as update } from "@/server/services/quota/limits";
import { orgQuotaView } from "@/server/services/quota/views";
import { idOrSlug, platformProcedure } from "@/server/trpc";
import { limitChangeOutput, limitsInput, orgQuotaOutput } from "../quota/schemas";

export const updateOrgQuotas = platformProcedure
  .meta({
    permission: "platform.quota.update",
    openapi: {
      method: "PUT",
      path: "/ops/v1/organizations/{org}/quotas",
      tags: ["operators"],
      summary: "Set an organisation's limits (never below the sum of its project limits)",
    },
  })
  .input(z.object({ org: idOrSlug.describe("Organisation id or slug"), limits: limitsInput }))
  .output(orgQuotaOutput.extend({ changes: z.array(limitChangeOutput).describe("What changed") }))
  .mutation(async ({ ctx, input }) => {
    const org = await findOrganization(ctx.db, input.org);
    ctx.actor.audit.orgId = org.id;
    const changes = await ctx.db.transaction((tx) => update(tx, ctx.actor, org, input.limits));
    const view = await orgQuotaView(ctx.db, org, null);
    return {
      org: { id: org.id, slug: org.slug, name: org.name },
      ...view,
      changes: changes.map(({ scope, resource, before, after }) => ({ scope, resource, before, after })),
    };
  });
