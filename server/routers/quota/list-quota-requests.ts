import { z } from "zod";
import { listQuotaRequests as list, resolveOrgProject } from "@/server/services/quota/requests";
import { orgProcedure } from "@/server/trpc";
import { page, pageInput } from "../shared";
import {
  encodeRequestCursor,
  quotaRequestOutput,
  requestCursor,
  statusSchema,
  toQuotaRequest,
} from "./schemas";

export const listQuotaRequests = orgProcedure
  .meta({
    permission: "quota.request.list",
    // Project members see their projects' requests; org-level holders see all of the org's.
    anyProject: true,
    openapi: {
      method: "GET",
      path: "/tenant/v1/organizations/{org}/quota-requests",
      tags: ["quota requests"],
      summary: "List quota increase requests, newest first",
    },
  })
  .input(
    z.object({
      q: z.string().trim().max(100).optional().describe("Search the description, tags and requester email"),
      status: statusSchema.optional().describe("Only requests in this state"),
      project: z
        .string()
        .trim()
        .min(1)
        .max(64)
        .optional()
        .describe("Only this project's requests (id or slug)"),
      ...pageInput,
    }),
  )
  .output(page(quotaRequestOutput))
  .query(async ({ ctx, input }) => {
    const project = input.project
      ? await resolveOrgProject(ctx.db, ctx.grants, ctx.org, input.project)
      : null;
    const { items, last } = await list(ctx.db, {
      orgId: ctx.org.id,
      grants: ctx.grants,
      q: input.q || undefined,
      status: input.status,
      projectId: project?.id,
      limit: input.limit,
      cursor: requestCursor(input.cursor),
    });
    return { items: items.map(toQuotaRequest), nextCursor: encodeRequestCursor(last) };
  });
