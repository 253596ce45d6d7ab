import { z } from "zod";
import { verifyOrgLog } from "@/server/services/audit/verify";
import { orgProcedure } from "@/server/trpc";
import { isoDate } from "../shared";

export const verifyLog = orgProcedure
  .meta({
    permission: "audit.event.verify",
    openapi: {
      method: "GET",
      path: "/tenant/v1/organizations/{org}/audit-events/verify",
      tags: ["audit"],
      summary: "Verify the activity log's hash chain",
    },
  })
  .output(
    z.object({
      ok: z.boolean().describe("True when every event links to its predecessor and is unchanged"),
      checked: z.number().int().describe("Events verified before the first problem (all of them when ok)"),
      last: z
        .object({ seq: z.number().int(), hash: z.string(), createdAt: isoDate })
        .nullable()
        .describe("The newest verified event: keep its hash to detect a later truncation of the log"),
      problem: z
        .object({
          kind: z.enum(["altered", "removed", "inserted"]),
          seq: z.number().int().describe("Chain position of the first bad event"),
          eventId: z.number().int().nullable(),
          message: z.string(),
        })
        .nullable(),
      verifiedAt: isoDate,
      durationMs: z.number().int(),
    }),
  )
  .query(async ({ ctx }) => {
    const r = await verifyOrgLog(ctx.db, ctx.org.id);
    return {
      ok: r.ok,
      checked: r.checked,
      last: r.last ?? null,
      problem: r.problem ?? null,
      verifiedAt: r.verifiedAt,
      durationMs: r.durationMs,
    };
  });
