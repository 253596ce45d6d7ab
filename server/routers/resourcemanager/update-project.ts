import { z } from "zod";
import { renameProject } from "@/server/services/projects";
import { projectProcedure } from "@/server/trpc";
import { nameSchema, projectOutput, toProject } from "../shared";

export const updateProject = projectProcedure
  .meta({
    permission: "resourcemanager.project.update",
    openapi: {
      method: "PATCH",
      path: "/tenant/v1/projects/{project}",
      tags: ["projects"],
      summary: "Rename a project",
    },
  })
  .input(z.object({ name: nameSchema.optional(), description: z.string().trim().max(500).optional() }))
  .output(projectOutput)
  .mutation(async ({ ctx, input }) => {
    const row = await ctx.db.transaction((tx) => renameProject(tx, ctx.actor, ctx.project, input));
    return toProject(row);
  });
