import { z } from "zod";
import { dispatchJob } from "@/server/jobs/queue";
import { createImage as create } from "@/server/services/compute/catalog-ops";
import { toImage } from "@/server/services/compute/catalog-views";
import { jobRef } from "@/server/services/compute/instances";
import { projectProcedure } from "@/server/trpc";
import { jobSummary } from "../shared";
import { createImageInput, imageOutput } from "./schemas";

export const createImage = projectProcedure
  .meta({
    permission: "compute.image.create",
    successStatus: 202,
    idempotent: true,
    openapi: {
      method: "POST",
      path: "/tenant/v1/projects/{project}/images",
      tags: ["compute"],
      summary: "Create an image record; then PUT its data to .../images/{id}/file",
    },
  })
  .input(createImageInput)
  .output(z.object({ image: imageOutput, job: jobSummary }))
  .mutation(async ({ ctx, input }) => {
    const { row, job } = await ctx.db.transaction((tx) => create(tx, ctx.actor, ctx.project, input));
    await dispatchJob(job.id);
    return { image: toImage(row), job: jobRef(job) };
  });
