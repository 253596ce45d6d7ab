import { listCatalog, toNetwork } from "@/server/services/compute/catalog-views";
import { projectProcedure } from "@/server/trpc";
import { catalogListInput, networkOutput } from "../compute/schemas";
import { page } from "../shared";

export const listNetworks = projectProcedure
  .meta({
    permission: "network.network.list",
    openapi: {
      method: "GET",
      path: "/tenant/v1/projects/{project}/networks",
      tags: ["network"],
      summary: "List the networks the project can use (its VPC networks, shared and external ones)",
    },
  })
  .input(catalogListInput)
  .output(page(networkOutput))
  .query(({ ctx, input }) => listCatalog(ctx.db, ctx.project.id, "network", input, toNetwork));
