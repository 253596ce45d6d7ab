import { listCatalog, toFloatingIp } from "@/server/services/compute/catalog-views";
import { projectProcedure } from "@/server/trpc";
import { catalogListInput, floatingIpOutput } from "../compute/schemas";
import { page } from "../shared";

export const listFloatingIps = projectProcedure
  .meta({
    permission: "network.network.list",
    openapi: {
      method: "GET",
      path: "/tenant/v1/projects/{project}/floating-ips",
      tags: ["network"],
      summary: "List the project's elastic (floating) IPs",
    },
  })
  .input(catalogListInput)
  .output(page(floatingIpOutput))
  .query(({ ctx, input }) => listCatalog(ctx.db, ctx.project.id, "floating_ip", input, toFloatingIp));
