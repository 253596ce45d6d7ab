import { z } from "zod";
import { dispatchJob } from "@/server/jobs/queue";
import { jobRef, updateInstance as update } from "@/server/services/compute/instances";
import { toInstance } from "@/server/services/compute/views";
import { projectProcedure } from "@/server/trpc";
import { jobSummary } from "../shared";
import { instanceOutput, updateInstanceInput } from "./schemas";

export const updateInstance = projectProcedure
  .meta({
    permission: "compute.instance.update",
    openapi: {
      method: "PATCH",
      path: "/tenant/v1/projects/{project}/instances/{id}",
      tags: ["compute"],
      summary: "Rename, describe or relabel a virtual machine",
    },
  })
  .input(updateInstanceInput)
  .output(z.object({ instance: instanceOutput, job: jobSummary.nullable() }))
  .mutation(async ({ ctx, input }) => {
    const { row, job } = await ctx.db.transaction((tx) => update(tx, ctx.actor, ctx.project, input));
    if (job) await dispatchJob(job.id);
    return { instance: toInstance(row, job ? jobRef(job) : null), job: job ? jobRef(job) : null };
  });
