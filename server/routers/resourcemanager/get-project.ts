import { projectProcedure } from "@/server/trpc";
import { projectOutput, toProject } from "../shared";

export const getProject = projectProcedure
  .meta({
    permission: "resourcemanager.project.get",
    openapi: {
      method: "GET",
      path: "/tenant/v1/projects/{project}",
      tags: ["projects"],
      summary: "Read a project",
    },
  })
  .output(projectOutput)
  .query(({ ctx }) => toProject(ctx.project));
