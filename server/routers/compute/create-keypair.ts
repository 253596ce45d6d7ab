import { dispatchJob } from "@/server/jobs/queue";
import { createKeypair as create } from "@/server/services/compute/catalog-ops";
import { toKeypair } from "@/server/services/compute/catalog-views";
import { jobRef } from "@/server/services/compute/instances";
import { projectProcedure } from "@/server/trpc";
import { createKeypairInput, createKeypairOutput } from "./schemas";

export const createKeypair = projectProcedure
  .meta({
    permission: "compute.keypair.create",
    successStatus: 201,
    idempotent: true,
    openapi: {
      method: "POST",
      path: "/tenant/v1/projects/{project}/keypairs",
      tags: ["compute"],
      summary: "Import an SSH public key, or generate a key pair (its private key is answered once)",
    },
  })
  .input(createKeypairInput)
  .output(createKeypairOutput)
  .mutation(async ({ ctx, input }) => {
    const { row, job, privateKey } = await ctx.db.transaction((tx) =>
      create(tx, ctx.actor, ctx.project, input),
    );
    await dispatchJob(job.id);
    return { ...toKeypair(row), privateKey, job: jobRef(job) };
  });
