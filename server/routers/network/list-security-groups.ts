import { listCatalog, toSecurityGroup } from "@/server/services/compute/catalog-views";
import { projectProcedure } from "@/server/trpc";
import { catalogListInput, securityGroupOutput } from "../compute/schemas";
import { page } from "../shared";

export const listSecurityGroups = projectProcedure
  .meta({
    permission: "network.securitygroup.list",
    openapi: {
      method: "GET",
      path: "/tenant/v1/projects/{project}/security-groups",
      tags: ["network"],
      summary: "List the project's security groups with their rules",
    },
  })
  .input(catalogListInput)
  .output(page(securityGroupOutput))
  .query(({ ctx, input }) => listCatalog(ctx.db, ctx.project.id, "security_group", input, toSecurityGroup));
