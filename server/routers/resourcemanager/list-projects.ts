import { z } from "zod";
import { listProjects as list } from "@/server/services/projects";
import { orgProcedure } from "@/server/trpc";
import { page, pageInput, projectOutput, toProject } from "../shared";

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
  .output(page(projectOutput))
  .query(async ({ ctx, input }) => {
    const q = input.q?.toLowerCase();
    const all = (await list(ctx.db, ctx.org, ctx.grants)).filter(
      (p) => !q || p.name.toLowerCase().includes(q) || p.slug.includes(q),
    );
    // Projects per organisation are few (tens): a name-ordered offset cursor is enough here.
    const start = input.cursor ? Math.max(0, Number.parseInt(input.cursor, 10) || 0) : 0;
    const items = all.slice(start, start + input.limit).map(toProject);
    return { items, nextCursor: start + input.limit < all.length ? String(start + input.limit) : null };
  });
