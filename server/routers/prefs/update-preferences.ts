import { z } from "zod";
import { getCloud } from "@/server/cloud/regions";
import { SELF } from "@/server/iam/permissions";
import { PAGE_SIZES, THEMES, updatePreferences as update } from "@/server/services/prefs";
import { authedProcedure } from "@/server/trpc";
import { preferencesOutput } from "./schemas";

const slugRef = z.string().trim().toLowerCase().min(1).max(64);

export const updatePreferencesInput = z
  .object({
    theme: z.enum(THEMES).optional().describe("light | dark | system"),
    defaultOrg: slugRef.nullable().optional().describe("Organisation slug, or null to clear"),
    defaultProject: slugRef.nullable().optional().describe("Project slug in defaultOrg, or null to clear"),
    defaultRegion: z
      .string()
      .trim()
      .min(1)
      .max(64)
      .nullable()
      .optional()
      .describe("Region name, or null to clear"),
    tablePageSize: z
      .number()
      .int()
      .refine((n) => (PAGE_SIZES as readonly number[]).includes(n), `must be one of ${PAGE_SIZES.join(", ")}`)
      .optional()
      .describe(`Rows per page: ${PAGE_SIZES.join(", ")}`),
  })
  .strict();

/** Regions the cloud offers, or null when no cloud is configured (then any region name is kept). */
function knownRegions(): string[] | null {
  try {
    return getCloud().regionNames();
  } catch {
    return null;
  }
}

export const updatePreferences = authedProcedure
  .meta({
    permission: SELF,
    auditAction: "prefs.preferences.update",
    openapi: {
      method: "PATCH",
      path: "/common/v1/me/preferences",
      tags: ["preferences"],
      summary: "Change the caller's console preferences (fields not sent are kept)",
    },
  })
  .input(updatePreferencesInput)
  .output(preferencesOutput)
  .mutation(({ ctx, input }) =>
    ctx.db.transaction((tx) =>
      update(tx, ctx.actor, ctx.grants, ctx.principal.userId, input, knownRegions()),
    ),
  );
