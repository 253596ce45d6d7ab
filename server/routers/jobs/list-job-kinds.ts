import { z } from "zod";
import { jobKinds } from "@/server/services/jobs/jobs";
import { orgProcedure } from "@/server/trpc";

export const listJobKinds = orgProcedure
  .meta({
    permission: "job.job.list",
    anyProject: true,
    openapi: {
      method: "GET",
      path: "/tenant/v1/organizations/{org}/job-kinds",
      tags: ["jobs"],
      summary: "Kinds of job run in the organisation",
    },
  })
  .output(z.array(z.object({ kind: z.string(), title: z.string() })))
  .query(({ ctx }) => jobKinds(ctx.db, ctx.org.id));
