import { z } from "zod";
import { latestProjectJobs, listProjects as list } from "@/server/services/projects";
import { orgProcedure } from "@/server/trpc";
import { isoDate, page, pageInput, projectOutput, toProject } from "../shared";

const projectJob = z
  .object({
    id: z.string().uuid(),
    kind: z.string().describe("project.provision | project.delete"),
    state: z.enum(["PENDING", "RUNNING", "RETRYING", "SUCCEEDED", "FAILED"]),
    lastError: z.string().nullable(),
    updatedAt: isoDate,
  })
  .nullable()
  .describe("The project's latest lifecycle job (provisioning or deletion)");

export const listProjects = orgProcedure
  .meta({
    permission: "resourcemanager.project.list",
    anyProject: true,
    openapi: {
      method: "GET",
      path: "/tenant/v1/organizations/{org}/projects",
      tags: ["projects"],
      summary: "List projects",
    },
  })
  .input(z.object({ q: z.string().max(64).optional().describe("Search by name or slug"), ...pageInput }))
  .output(page(projectOutput.extend({ job: projectJob })))
  .query(async ({ ctx, input }) => {
    const q = input.q?.toLowerCase();
    const all = (await list(ctx.db, ctx.org, ctx.grants)).filter(
      (p) => !q || p.name.toLowerCase().includes(q) || p.slug.includes(q),
    );
    // Projects per organisation are few (tens): a name-ordered offset cursor is enough here.
    const start = input.cursor ? Math.max(0, Number.parseInt(input.cursor, 10) || 0) : 0;
    const slice = all.slice(start, start + input.limit);
    const jobs = await latestProjectJobs(
      ctx.db,
      slice.map((p) => p.id),
    );
    const items = slice.map((p) => {
      const j = jobs.get(p.id);
      return {
        ...toProject(p),
        job: j
          ? {
              id: j.id,
              kind: j.kind,
              state: projectJob.unwrap().shape.state.catch("PENDING").parse(j.state),
              lastError: j.lastError,
              updatedAt: j.updatedAt,
            }
          : null,
      };
    });
    return { items, nextCursor: start + input.limit < all.length ? String(start + input.limit) : null };
  });
