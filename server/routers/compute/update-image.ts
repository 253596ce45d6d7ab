import { z } from "zod";
import { dispatchJob } from "@/server/jobs/queue";
import { updateImage as update } from "@/server/services/compute/catalog-ops";
import { toImage } from "@/server/services/compute/catalog-views";
import { jobRef } from "@/server/services/compute/instances";
import { projectProcedure } from "@/server/trpc";
import { jobSummary } from "../shared";
import { imageOutput, updateImageInput } from "./schemas";

export const updateImage = projectProcedure
  .meta({
    permission: "compute.image.create",
    openapi: {
      method: "PATCH",
      path: "/tenant/v1/projects/{project}/images/{id}",
      tags: ["compute"],
      summary: "Rename one of the project's images or change its visibility",
    },
  })
  .input(updateImageInput)
  .output(z.object({ image: imageOutput, job: jobSummary }))
  .mutation(async ({ ctx, input }) => {
    const { row, job } = await ctx.db.transaction((tx) => update(tx, ctx.actor, ctx.project, input));
    await dispatchJob(job.id);
    return { image: toImage(row), job: jobRef(job) };
  });
