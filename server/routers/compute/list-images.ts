import { listCatalog, toImage } from "@/server/services/compute/catalog-views";
import { projectProcedure } from "@/server/trpc";
import { page } from "../shared";
import { catalogListInput, imageOutput } from "./schemas";

export const listImages = projectProcedure
  .meta({
    permission: "compute.image.list",
    openapi: {
      method: "GET",
      path: "/tenant/v1/projects/{project}/images",
      tags: ["compute"],
      summary: "List the images the project can use (public, shared and its own)",
    },
  })
  .input(catalogListInput)
  .output(page(imageOutput))
  .query(({ ctx, input }) => listCatalog(ctx.db, ctx.project.id, "image", input, toImage));
