import { listCatalog, toVolume } from "@/server/services/compute/catalog-views";
import { projectProcedure } from "@/server/trpc";
import { catalogListInput, volumeOutput } from "../compute/schemas";
import { page } from "../shared";

export const listVolumes = projectProcedure
  .meta({
    permission: "storage.volume.list",
    openapi: {
      method: "GET",
      path: "/tenant/v1/projects/{project}/volumes",
      tags: ["storage"],
      summary: "List the project's volumes",
    },
  })
  .input(catalogListInput)
  .output(page(volumeOutput))
  .query(({ ctx, input }) => listCatalog(ctx.db, ctx.project.id, "volume", input, toVolume));
