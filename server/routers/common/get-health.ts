import { sql } from "drizzle-orm";
import { z } from "zod";
import { PUBLIC } from "@/server/iam/permissions";
import { publicProcedure } from "@/server/trpc";

export const getHealth = publicProcedure
  .meta({
    permission: PUBLIC,
    openapi: {
      method: "GET",
      path: "/common/v1/health",
      tags: ["common"],
      summary: "Service health",
      protect: false,
    },
  })
  .input(z.object({}).optional())
  .output(
    z.object({
      status: z.enum(["ok", "degraded"]),
      database: z.object({ status: z.enum(["ok", "down"]), latencyMs: z.number().nullable() }),
      time: z.date(),
    }),
  )
  .query(async ({ ctx }) => {
    const start = performance.now();
    try {
      await ctx.db.execute(sql`select 1`);
      return {
        status: "ok" as const,
        database: { status: "ok" as const, latencyMs: Math.round(performance.now() - start) },
        time: new Date(),
      };
    } catch {
      return {
        status: "degraded" as const,
        database: { status: "down" as const, latencyMs: null },
        time: new Date(),
      };
    }
  });
