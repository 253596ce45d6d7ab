import { z } from "zod";
import { getJob as load } from "@/server/services/jobs/jobs";
import { AppError } from "@/server/errors";
import { assertPermission, authedProcedure } from "@/server/trpc";
import { jobDetailOutput } from "./schemas";

export const getJob = authedProcedure
  .meta({
    permission: "job.job.get",
    openapi: {
      method: "GET",
      path: "/tenant/v1/jobs/{id}",
      tags: ["jobs"],
      summary: "Read a job with its steps",
    },
  })
  .input(z.object({ id: z.string().uuid().describe("Job id") }))
  .output(jobDetailOutput)
  .query(async ({ ctx, input }) => {
    const job = await load(ctx.db, input.id);
    // Another tenant's job answers exactly like a missing one.
    if (!job) throw new AppError("NOT_FOUND", `Job ${input.id} not found`);
    assertPermission(
      ctx,
      "job.job.get",
      { orgId: job.org.id, projectId: job.project?.id },
      `Job ${input.id}`,
    );
    return job;
  });
