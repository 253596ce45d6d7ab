import { z } from "zod";
import { createQuotaRequest as create } from "@/server/services/quota/requests";
import { orgProcedure } from "@/server/trpc";
import { limitValue, prioritySchema, quotaRequestOutput, resourceSchema, toQuotaRequest } from "./schemas";

export const createQuotaRequestInput = z.object({
  project: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .optional()
    .describe("Project id or slug; omit for an organisation-level request (decided by a cloud operator)"),
  description: z.string().trim().min(1, "say why the increase is needed").max(2000).describe("Why"),
  priority: prioritySchema.describe("High, Medium or Low"),
  resources: z
    .array(z.object({ resource: resourceSchema, limit: limitValue.describe("The new limit wanted") }))
    .min(1, "ask for at least one resource")
    .max(20)
    .refine((rs) => new Set(rs.map((r) => r.resource)).size === rs.length, "name each resource once")
    .describe("Resources and the new limits wanted: [{ resource: 'instances', limit: 500 }]"),
  tags: z
    .array(z.string().trim().min(1).max(40))
    .max(10)
    .default([])
    .describe("Free labels, e.g. a cost centre or ticket number"),
});

export const createQuotaRequest = orgProcedure
  .meta({
    permission: "quota.request.create",
    // Project members file requests for their project; the service checks that project.
    anyProject: true,
    successStatus: 201,
    idempotent: true,
    openapi: {
      method: "POST",
      path: "/tenant/v1/organizations/{org}/quota-requests",
      tags: ["quota requests"],
      summary: "Request a quota increase for a project or the organisation",
    },
  })
  .input(createQuotaRequestInput)
  .output(quotaRequestOutput)
  .mutation(async ({ ctx, input }) => {
    const view = await ctx.db.transaction((tx) => create(tx, ctx.actor, ctx.grants, ctx.org, input));
    return toQuotaRequest(view);
  });
