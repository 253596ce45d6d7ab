import { z } from "zod";
import { updateDefaultQuotas as update } from "@/server/services/quota/defaults";
import { platformProcedure } from "@/server/trpc";
import { limitValue, resourceSchema } from "../quota/schemas";
import { defaultQuotaOutput, toDefaultQuota } from "./schemas";

export const updateDefaultQuotas = platformProcedure
  .meta({
    permission: "platform.quota.update",
    openapi: {
      method: "PUT",
      path: "/ops/v1/default-quotas",
      tags: ["operators"],
      summary: "Change default quotas (organisations and projects created afterwards)",
    },
  })
  .input(
    z.object({
      items: z
        .array(
          z
            .object({
              resource: resourceSchema,
              orgLimit: limitValue.optional().describe("New organisation default"),
              projectLimit: limitValue.optional().describe("New project default (at most the org default)"),
            })
            .refine(
              (i) => i.orgLimit !== undefined || i.projectLimit !== undefined,
              "give orgLimit or projectLimit",
            ),
        )
        .min(1, "name at least one resource")
        .refine((is) => new Set(is.map((i) => i.resource)).size === is.length, "name each resource once"),
    }),
  )
  .output(z.object({ items: z.array(defaultQuotaOutput) }))
  .mutation(async ({ ctx, input }) => {
    const items = await ctx.db.transaction((tx) => update(tx, ctx.actor, input.items));
    return { items: items.map(toDefaultQuota) };
  });
