import { dispatchJob } from "@/server/jobs/queue";
import { createInstances as create, jobRef, prepareCreate } from "@/server/services/compute/instances";
import { toInstance } from "@/server/services/compute/views";
import { projectProcedure } from "@/server/trpc";
import { createInstancesInput, createInstancesOutput } from "./schemas";

export const createInstances = projectProcedure
  .meta({
    permission: "compute.instance.create",
    successStatus: 202,
    idempotent: true,
    openapi: {
      method: "POST",
      path: "/tenant/v1/projects/{project}/instances",
      tags: ["compute"],
      summary: "Create one or more virtual machines (answers at once with their jobs)",
    },
  })
  .input(createInstancesInput)
  .output(createInstancesOutput)
  .mutation(async ({ ctx, input }) => {
    const prepared = await prepareCreate(ctx.db, ctx.project, input);
    const created = await ctx.db.transaction((tx) => create(tx, ctx.actor, ctx.project, input, prepared));
    for (const c of created) await dispatchJob(c.job.id);
    const instances = created.map((c) => ({ ...toInstance(c.row, jobRef(c.job)), job: jobRef(c.job) }));
    const { job, ...instance } = instances[0]!;
    return { instance, job, instances };
  });
