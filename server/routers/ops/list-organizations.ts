import { z } from "zod";
import { AppError } from "@/server/errors";
import { listOrganizationSummaries } from "@/server/services/ops/organizations";
import { platformProcedure } from "@/server/trpc";
import { decodeCursor, encodeCursor, page, pageInput } from "../shared";
import { orgSummaryOutput, toOrgSummary } from "./schemas";

export const listOrganizations = platformProcedure
  .meta({
    permission: "platform.organization.list",
    openapi: {
      method: "GET",
      path: "/ops/v1/organizations",
      tags: ["operators"],
      summary: "Every organisation with its quota usage summary",
    },
  })
  .input(
    z.object({
      q: z.string().trim().max(64).optional().describe("Search by name or slug"),
      status: z.enum(["active", "suspended"]).optional().describe("Only organisations in this state"),
      ...pageInput,
    }),
  )
  .output(page(orgSummaryOutput))
  .query(async ({ ctx, input }) => {
    let cursor: { name: string; id: string } | null = null;
    if (input.cursor) {
      const [name, id] = decodeCursor(input.cursor) ?? [];
      if (typeof name !== "string" || typeof id !== "string")
        throw new AppError("INVALID_INPUT", "cursor: not a cursor from this list; start without one", {
          field: "cursor",
        });
      cursor = { name, id };
    }
    const { items, last } = await listOrganizationSummaries(ctx.db, {
      q: input.q || undefined,
      status: input.status,
      limit: input.limit,
      cursor,
    });
    return { items: items.map(toOrgSummary), nextCursor: last ? encodeCursor([last.name, last.id]) : null };
  });
