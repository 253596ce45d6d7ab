import { z } from "zod";
import { dispatchJob } from "@/server/jobs/queue";
import { deleteInstance as remove, jobRef } from "@/server/services/compute/instances";
import { toInstance } from "@/server/services/compute/views";
import { projectProcedure } from "@/server/trpc";
import { instanceActionOutput } from "./schemas";

export const deleteInstance = projectProcedure
  .meta({
    permission: "compute.instance.delete",
    successStatus: 202,
    openapi: {
      method: "DELETE",
      path: "/tenant/v1/projects/{project}/instances/{id}",
      tags: ["compute"],
      summary: "Delete a virtual machine (refused while it is locked)",
    },
  })
  .input(z.object({ id: z.string().uuid() }))
  .output(instanceActionOutput)
  .mutation(async ({ ctx, input }) => {
    const { row, job } = await ctx.db.transaction((tx) => remove(tx, ctx.actor, ctx.project, input.id));
    await dispatchJob(job.id);
    return { instance: toInstance(row, jobRef(job)), job: jobRef(job) };
  });
