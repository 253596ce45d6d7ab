import { z } from "zod";
import { listProjectJobs as list } from "@/server/services/jobs/jobs";
import { projectProcedure } from "@/server/trpc";
import { page, pageInput } from "../shared";
import { jobFilterInput, jobItemOutput, toJobFilters } from "./schemas";

export const listProjectJobs = projectProcedure
  .meta({
    permission: "job.job.list",
    openapi: {
      method: "GET",
      path: "/tenant/v1/projects/{project}/jobs",
      tags: ["jobs"],
      summary: "List a project's jobs, newest first",
    },
  })
  .input(z.object({ ...jobFilterInput, ...pageInput }))
  .output(page(jobItemOutput))
  .query(({ ctx, input }) =>
    list(ctx.db, ctx.project.id, toJobFilters(input), { limit: input.limit, cursor: input.cursor }),
  );
