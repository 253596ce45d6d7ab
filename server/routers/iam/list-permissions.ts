import { z } from "zod";
import { allPermissions, permissionCatalog, SELF } from "@/server/iam/permissions";
import { authedProcedure } from "@/server/trpc";

const permissionOutput = z.object({
  permission: z.string().describe("service.resource.action"),
  service: z.string(),
  resource: z.string().describe("service.resource, e.g. compute.instance"),
  action: z.string(),
  description: z.string(),
  scope: z.enum(["platform", "org", "project"]).describe("The narrowest scope the permission applies at"),
  readOnly: z.boolean(),
});

export const listPermissions = authedProcedure
  .meta({
    permission: SELF,
    openapi: {
      method: "GET",
      path: "/tenant/v1/permissions",
      tags: ["iam"],
      summary: "The permission catalogue that roles are made of",
    },
  })
  .input(
    z
      .object({ service: z.string().trim().max(40).optional().describe("Only this service's permissions") })
      .optional(),
  )
  .output(z.object({ items: z.array(permissionOutput), nextCursor: z.null() }))
  .query(({ input }) => ({
    items: allPermissions
      .map((p) => {
        const [service = "", resource = "", action = ""] = p.split(".");
        const def = permissionCatalog[p];
        return {
          permission: p,
          service,
          resource: `${service}.${resource}`,
          action,
          description: def.description,
          scope: def.scope,
          readOnly: def.readOnly,
        };
      })
      .filter((p) => !input?.service || p.service === input.service),
    nextCursor: null,
  }));
