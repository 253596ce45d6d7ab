import { z } from "zod";
import { getOpenStack } from "@/server/providers/openstack/client";
import { prometheusFor, type InstanceMetric } from "@/server/providers/metrics/prometheus";
import { getInventory } from "@/server/services/inventory";
import { keystoneProjectId } from "@/server/services/compute/upstream";
import { projectProcedure } from "@/server/trpc";

const METRICS: InstanceMetric[] = ["cpu", "memory", "network_in", "network_out", "disk_read", "disk_write"];
const RANGES = { "1h": 3600, "6h": 6 * 3600, "24h": 86400, "7d": 7 * 86400 } as const;

export const getInstanceMetrics = projectProcedure
  .meta({
    permission: "monitoring.metric.read",
    openapi: {
      method: "GET",
      path: "/tenant/v1/projects/{project}/instances/{id}/metrics",
      tags: ["compute"],
      summary: "CPU, memory, network and disk series of a virtual machine",
    },
  })
  .input(
    z.object({
      id: z.string().uuid(),
      range: z.enum(["1h", "6h", "24h", "7d"]).default("1h"),
    }),
  )
  .output(
    z.object({
      start: z.number().describe("Epoch ms"),
      end: z.number(),
      metrics: z.array(
        z.object({
          metric: z.enum(["cpu", "memory", "network_in", "network_out", "disk_read", "disk_write"]),
          unit: z.string(),
          series: z.array(
            z.object({
              labels: z.record(z.string(), z.string()),
              points: z.array(z.object({ t: z.number(), v: z.number().nullable() })),
            }),
          ),
        }),
      ),
    }),
  )
  .query(async ({ ctx, input, signal }) => {
    const row = await getInventory(ctx.db, ctx.project.id, "instance", input.id);
    const end = Date.now();
    const start = end - RANGES[input.range] * 1000;
    if (!row.providerRef) return { start, end, metrics: [] };
    const prom = prometheusFor(getOpenStack(), row.region, keystoneProjectId(ctx.project, row.region));
    const subject = { projectId: keystoneProjectId(ctx.project, row.region), resourceId: row.providerRef };
    const metrics = await Promise.all(
      METRICS.map(async (metric) => {
        const r = await prom.queryRange(
          metric,
          subject,
          { start, end, maxPoints: 240 },
          signal ? { signal } : {},
        );
        return { metric, unit: String(r.unit), series: r.series };
      }),
    );
    return { start, end, metrics };
  });
