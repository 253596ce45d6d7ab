import { z } from "zod";
import { decodeAuditCursor, listAuditEvents } from "@/server/services/audit/list";
import { resolveFilters } from "@/server/services/audit/query";
import { orgProcedure } from "@/server/trpc";
import { page, pageInput } from "../shared";
import { auditEventOutput, auditFilterInput, toFilters } from "./schemas";

export const listEvents = orgProcedure
  .meta({
    permission: "audit.event.list",
    openapi: {
      method: "GET",
      path: "/tenant/v1/organizations/{org}/audit-events",
      tags: ["audit"],
      summary: "List the organisation's activity log, newest first",
    },
  })
  .input(z.object({ ...auditFilterInput, ...pageInput }))
  .output(page(auditEventOutput))
  .query(async ({ ctx, input }) => {
    const cursor = input.cursor ? decodeAuditCursor(input.cursor) : null;
    const filters = await resolveFilters(ctx.db, ctx.org.id, toFilters(input));
    return listAuditEvents(ctx.db, ctx.org, filters, { limit: input.limit, cursor });
  });
