// The export as a stream: the first value announces the file (name, type, size, truncation), the
// rest are its chunks. Served as a download by server/http/audit-export.ts; a procedure so the
// ladder does the authentication, scope, permission and input checks exactly as for the list.
import { z } from "zod";
import { writeAudit } from "@/server/audit/write";
import { exportChunks, planExport, type ExportPlan } from "@/server/services/audit/export";
import { resolveFilters } from "@/server/services/audit/query";
import { orgProcedure } from "@/server/trpc";
import { auditFilterInput, toFilters } from "./schemas";

export type ExportMessage = { kind: "plan"; plan: ExportPlan } | { kind: "chunk"; text: string };

export const exportEventsInput = z.object({
  ...auditFilterInput,
  format: z.enum(["csv", "json"]).default("csv").describe("csv (spreadsheets) or json"),
});

export const exportEvents = orgProcedure
  .meta({ permission: "audit.event.list" })
  .input(exportEventsInput)
  .query(async function* ({ ctx, input }): AsyncGenerator<ExportMessage> {
    const { org: _org, format: _format, ...given } = input;
    const request = toFilters(input);
    const resolved = await resolveFilters(ctx.db, ctx.org.id, request);
    const { plan, filters } = await planExport(ctx.db, ctx.org, resolved, input.format);
    // Who took a copy of the log, and of what, is itself part of the log.
    await writeAudit(ctx.db, ctx.actor, {
      action: "audit.event.export",
      orgId: ctx.org.id,
      target: { kind: "organization", id: ctx.org.id, name: ctx.org.slug },
      data: {
        format: plan.format,
        rows: plan.rows,
        truncated: plan.truncated,
        filters: given,
      },
    });
    yield { kind: "plan", plan };
    for await (const text of exportChunks(ctx.db, ctx.org, filters, plan, request)) {
      yield { kind: "chunk", text };
    }
  });
