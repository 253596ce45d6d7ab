import { z } from "zod";
import { dispatchJob } from "@/server/jobs/queue";
import { deleteProject as remove } from "@/server/services/projects";
import { projectProcedure } from "@/server/trpc";
import { jobSummary } from "../shared";

export const deleteProject = projectProcedure
  .meta({
    permission: "resourcemanager.project.delete",
    successStatus: 202,
    openapi: {
      method: "DELETE",
      path: "/tenant/v1/projects/{project}",
      tags: ["projects"],
      summary: "Delete an empty project",
    },
  })
  .output(z.object({ job: jobSummary }))
  .mutation(async ({ ctx }) => {
    const job = await ctx.db.transaction((tx) => remove(tx, ctx.actor, ctx.project));
    await dispatchJob(job.id);
    return { job: { id: job.id, kind: job.kind, state: "PENDING" as const } };
  });
