import { z } from "zod";
import { createProject as create } from "@/server/services/projects";
import { dispatchJob } from "@/server/jobs/queue";
import { orgProcedure } from "@/server/trpc";
import { jobSummary, nameSchema, projectOutput, slugSchema, toProject } from "../shared";

export const createProject = orgProcedure
  .meta({
    permission: "resourcemanager.project.create",
    successStatus: 201,
    idempotent: true,
    openapi: {
      method: "POST",
      path: "/tenant/v1/organizations/{org}/projects",
      tags: ["projects"],
      summary: "Create a project",
    },
  })
  .input(
    z.object({
      name: nameSchema.describe("Display name"),
      slug: slugSchema.optional().describe("URL name; derived from the name when omitted"),
      description: z.string().trim().max(500).optional(),
    }),
  )
  .output(projectOutput.extend({ job: jobSummary }))
  .mutation(async ({ ctx, input }) => {
    const { project, job } = await ctx.db.transaction((tx) => create(tx, ctx.actor, ctx.org, input));
    await dispatchJob(job.id);
    return { ...toProject(project), job: { id: job.id, kind: job.kind, state: "PENDING" as const } };
  });
