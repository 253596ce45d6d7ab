import { listCatalog, toFlavor } from "@/server/services/compute/catalog-views";
import { projectProcedure } from "@/server/trpc";
import { page } from "../shared";
import { catalogListInput, flavorOutput } from "./schemas";

export const listFlavors = projectProcedure
  .meta({
    permission: "compute.flavor.list",
    openapi: {
      method: "GET",
      path: "/tenant/v1/projects/{project}/flavors",
      tags: ["compute"],
      summary: "List the flavors the project can use",
    },
  })
  .input(catalogListInput)
  .output(page(flavorOutput))
  .query(({ ctx, input }) => listCatalog(ctx.db, ctx.project.id, "flavor", input, toFlavor));
