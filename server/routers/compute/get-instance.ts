import { and, eq, inArray, isNull } from "drizzle-orm";
import { z } from "zod";
import { resources } from "@/db/schema";
import { getInventory } from "@/server/services/inventory";
import { latestJobs } from "@/server/services/compute/instances";
import { toInstanceDetail } from "@/server/services/compute/views";
import { projectProcedure } from "@/server/trpc";
import { instanceDetailOutput } from "./schemas";

export const getInstance = projectProcedure
  .meta({
    permission: "compute.instance.get",
    openapi: {
      method: "GET",
      path: "/tenant/v1/projects/{project}/instances/{id}",
      tags: ["compute"],
      summary: "Read a virtual machine with its interfaces, volumes and security groups",
    },
  })
  .input(z.object({ id: z.string().uuid() }))
  .output(instanceDetailOutput)
  .query(async ({ ctx, input }) => {
    const row = await getInventory(ctx.db, ctx.project.id, "instance", input.id);
    const related = await ctx.db
      .select()
      .from(resources)
      .where(
        and(
          eq(resources.projectId, ctx.project.id),
          eq(resources.region, row.region),
          inArray(resources.kind, ["volume", "network", "security_group", "floating_ip"]),
          isNull(resources.deletedAt),
        ),
      );
    const jobs = await latestJobs(ctx.db, [row.id]);
    const byKind = (k: string) => related.filter((r) => r.kind === k);
    return toInstanceDetail(row, jobs.get(row.id) ?? null, {
      volumes: byKind("volume"),
      networks: new Map(byKind("network").map((n) => [n.providerRef!, n.name])),
      securityGroups: new Map(byKind("security_group").map((g) => [g.providerRef!, g.name])),
      floatingIps: byKind("floating_ip"),
    });
  });
