import { z } from "zod";
import { dispatchJob } from "@/server/jobs/queue";
import { deleteCatalogItem } from "@/server/services/compute/catalog-ops";
import { toImage } from "@/server/services/compute/catalog-views";
import { jobRef } from "@/server/services/compute/instances";
import { projectProcedure } from "@/server/trpc";
import { jobSummary } from "../shared";
import { imageOutput } from "./schemas";

export const deleteImage = projectProcedure
  .meta({
    permission: "compute.image.delete",
    successStatus: 202,
    openapi: {
      method: "DELETE",
      path: "/tenant/v1/projects/{project}/images/{id}",
      tags: ["compute"],
      summary: "Delete one of the project's images",
    },
  })
  .input(z.object({ id: z.string().uuid() }))
  .output(z.object({ image: imageOutput, job: jobSummary }))
  .mutation(async ({ ctx, input }) => {
    const { row, job } = await ctx.db.transaction((tx) =>
      deleteCatalogItem(tx, ctx.actor, ctx.project, "image", input.id),
    );
    await dispatchJob(job.id);
    return { image: toImage(row), job: jobRef(job) };
  });
