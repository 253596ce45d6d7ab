import { z } from "zod";
import { findOrganization } from "@/server/services/ops/organizations";
import { listQuotaRequests as list } from "@/server/services/quota/requests";
import { idOrSlug, platformProcedure } from "@/server/trpc";
import { page, pageInput } from "../shared";
import {
  encodeRequestCursor,
  quotaRequestOutput,
  requestCursor,
  statusSchema,
  toQuotaRequest,
} from "../quota/schemas";

export const listAllQuotaRequests = platformProcedure
  .meta({
    permission: "platform.quotarequest.list",
    openapi: {
      method: "GET",
      path: "/ops/v1/quota-requests",
      tags: ["operators"],
      summary: "Quota requests of every organisation, newest first",
    },
  })
  .input(
    z.object({
      q: z.string().trim().max(100).optional().describe("Search the description, tags and requester email"),
      status: statusSchema.optional().describe("Only requests in this state"),
      org: idOrSlug.optional().describe("Only this organisation's requests (id or slug)"),
      ...pageInput,
    }),
  )
  .output(page(quotaRequestOutput))
  .query(async ({ ctx, input }) => {
    const org = input.org ? await findOrganization(ctx.db, input.org) : null;
    const { items, last } = await list(ctx.db, {
      orgId: org?.id,
      q: input.q || undefined,
      status: input.status,
      limit: input.limit,
      cursor: requestCursor(input.cursor),
    });
    return { items: items.map(toQuotaRequest), nextCursor: encodeRequestCursor(last) };
  });
