import { z } from "zod";
import { dispatchJob } from "@/server/jobs/queue";
import { deleteCatalogItem } from "@/server/services/compute/catalog-ops";
import { toKeypair } from "@/server/services/compute/catalog-views";
import { jobRef } from "@/server/services/compute/instances";
import { projectProcedure } from "@/server/trpc";
import { jobSummary } from "../shared";
import { keypairOutput } from "./schemas";

export const deleteKeypair = projectProcedure
  .meta({
    permission: "compute.keypair.delete",
    successStatus: 202,
    openapi: {
      method: "DELETE",
      path: "/tenant/v1/projects/{project}/keypairs/{id}",
      tags: ["compute"],
      summary: "Delete a key pair (instances that use it keep their key)",
    },
  })
  .input(z.object({ id: z.string().uuid() }))
  .output(z.object({ keypair: keypairOutput, job: jobSummary }))
  .mutation(async ({ ctx, input }) => {
    const { row, job } = await ctx.db.transaction((tx) =>
      deleteCatalogItem(tx, ctx.actor, ctx.project, "keypair", input.id),
    );
    await dispatchJob(job.id);
    return { keypair: toKeypair(row), job: jobRef(job) };
  });
