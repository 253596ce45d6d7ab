import { listCatalog, toSubnet } from "@/server/services/compute/catalog-views";
import { projectProcedure } from "@/server/trpc";
import { catalogListInput, subnetOutput } from "../compute/schemas";
import { page } from "../shared";

export const listSubnets = projectProcedure
  .meta({
    permission: "network.subnet.list",
    openapi: {
      method: "GET",
      path: "/tenant/v1/projects/{project}/subnets",
      tags: ["network"],
      summary: "List the subnets of the project's networks",
    },
  })
  .input(catalogListInput)
  .output(page(subnetOutput))
  .query(({ ctx, input }) => listCatalog(ctx.db, ctx.project.id, "subnet", input, toSubnet));
