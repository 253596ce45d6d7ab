import { listInventory } from "@/server/services/inventory";
import { latestJobs } from "@/server/services/compute/instances";
import { toInstance } from "@/server/services/compute/views";
import { projectProcedure } from "@/server/trpc";
import { page } from "../shared";
import { instanceOutput, listInstancesInput } from "./schemas";

export const listInstances = projectProcedure
  .meta({
    permission: "compute.instance.list",
    openapi: {
      method: "GET",
      path: "/tenant/v1/projects/{project}/instances",
      tags: ["compute"],
      summary: "List virtual machines (newest first; filter, search and sort)",
    },
  })
  .input(listInstancesInput)
  .output(page(instanceOutput))
  .query(async ({ ctx, input }) => {
    const labels = Object.fromEntries(
      (input.label ?? []).map((l) => {
        const i = l.indexOf("=");
        return i < 0 ? [l, ""] : [l.slice(0, i), l.slice(i + 1)];
      }),
    );
    const attrs: Record<string, string> = {};
    if (input.flavor) attrs.flavorId = input.flavor;
    if (input.image) attrs.imageId = input.image;
    const { items, nextCursor } = await listInventory(ctx.db, {
      projectId: ctx.project.id,
      kind: "instance",
      q: input.q,
      status: input.status,
      region: input.region,
      availabilityZone: input.availabilityZone,
      labels,
      attrs,
      sort: input.sort,
      order: input.order,
      limit: input.limit,
      cursor: input.cursor,
    });
    const jobs = await latestJobs(
      ctx.db,
      items.map((i) => i.id),
    );
    return { items: items.map((r) => toInstance(r, jobs.get(r.id) ?? null)), nextCursor };
  });
