import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { projects } from "@/db/schema";
import { AppError } from "@/server/errors";
import { canSeeProject } from "@/server/iam/access";
import { resourceCounts } from "@/server/services/prefs";
import { orgProcedure } from "@/server/trpc";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const countResources = orgProcedure
  .meta({
    // Anyone who may list the org's projects (or works in one) sees counts of what they may list.
    permission: "resourcemanager.project.list",
    anyProject: true,
    openapi: {
      method: "GET",
      path: "/tenant/v1/organizations/{org}/resource-counts",
      tags: ["inventory"],
      summary: "Resources per kind in the organisation or one project (dashboards)",
    },
  })
  .input(
    z.object({
      project: z.string().trim().min(1).max(64).optional().describe("Only this project (id or slug)"),
    }),
  )
  .output(
    z.object({
      items: z.array(
        z.object({
          kind: z.string().describe("Inventory kind, e.g. compute.instance"),
          count: z.number().int(),
        }),
      ),
    }),
  )
  .query(async ({ ctx, input }) => {
    let projectId: string | undefined;
    if (input.project) {
      const ref = input.project;
      const [p] = await ctx.db
        .select()
        .from(projects)
        .where(
          and(
            eq(projects.orgId, ctx.org.id),
            UUID.test(ref) ? eq(projects.id, ref) : eq(projects.slug, ref.toLowerCase()),
          ),
        );
      if (!p || !canSeeProject(ctx.grants, ctx.org.id, p.id))
        throw new AppError("NOT_FOUND", `Project ${ref} not found`);
      projectId = p.id;
    }
    return { items: await resourceCounts(ctx.db, ctx.grants, { orgId: ctx.org.id, projectId }) };
  });
