import { z } from "zod";
import { getDefaultQuotas as get } from "@/server/services/quota/defaults";
import { platformProcedure } from "@/server/trpc";
import { defaultQuotaOutput, toDefaultQuota } from "./schemas";

export const getDefaultQuotas = platformProcedure
  .meta({
    permission: "platform.quota.read",
    openapi: {
      method: "GET",
      path: "/ops/v1/default-quotas",
      tags: ["operators"],
      summary: "Default quotas of new organisations and projects",
    },
  })
  .input(z.object({}).optional())
  .output(z.object({ items: z.array(defaultQuotaOutput) }))
  .query(async ({ ctx }) => ({ items: (await get(ctx.db)).map(toDefaultQuota) }));
