import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { projects } from "@/db/schema";
import { AppError } from "@/server/errors";
import { canSeeProject } from "@/server/iam/access";
import { listOrgJobs as list } from "@/server/services/jobs/jobs";
import { orgProcedure } from "@/server/trpc";
import { page, pageInput } from "../shared";
import { jobFilterInput, jobItemOutput, toJobFilters } from "./schemas";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const listOrgJobs = orgProcedure
  .meta({
    permission: "job.job.list",
    anyProject: true,
    openapi: {
      method: "GET",
      path: "/tenant/v1/organizations/{org}/jobs",
      tags: ["jobs"],
      summary: "List the organisation's jobs: running ones first, then the newest",
    },
  })
  .input(
    z.object({
      ...jobFilterInput,
      project: z.string().trim().min(1).max(64).optional().describe("Only this project's jobs (id or slug)"),
      ...pageInput,
    }),
  )
  .output(page(jobItemOutput))
  .query(async ({ ctx, input }) => {
    let projectId: string | undefined;
    if (input.project) {
      const ref = input.project;
      const [p] = await ctx.db
        .select({ id: projects.id })
        .from(projects)
        .where(
          and(
            eq(projects.orgId, ctx.org.id),
            UUID.test(ref) ? eq(projects.id, ref) : eq(projects.slug, ref.toLowerCase()),
          ),
        )
        .limit(1);
      if (!p || !canSeeProject(ctx.grants, ctx.org.id, p.id))
        throw new AppError("NOT_FOUND", `Project ${ref} not found`, { field: "project" });
      projectId = p.id;
    }
    return list(
      ctx.db,
      ctx.org.id,
      ctx.grants,
      { ...toJobFilters(input), ...(projectId ? { projectId } : {}) },
      { limit: input.limit, cursor: input.cursor },
    );
  });
