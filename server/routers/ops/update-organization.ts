import { z } from "zod";
import { updateOrganization as update } from "@/server/services/ops/organizations";
import { idOrSlug, platformProcedure } from "@/server/trpc";
import { nameSchema, orgOutput, toOrg } from "../shared";

export const updateOrganization = platformProcedure
  .meta({
    permission: "platform.organization.update",
    openapi: {
      method: "PATCH",
      path: "/ops/v1/organizations/{org}",
      tags: ["operators"],
      summary: "Rename, suspend or reactivate an organisation",
      description:
        "A suspended organisation's members are refused on their next request (operators keep access).",
    },
  })
  .input(
    z
      .object({
        org: idOrSlug.describe("Organisation id or slug"),
        name: nameSchema.optional().describe("New display name"),
        status: z.enum(["active", "suspended"]).optional().describe("suspended blocks its members"),
      })
      .refine((i) => i.name !== undefined || i.status !== undefined, "give a name or a status to change"),
  )
  .output(orgOutput)
  .mutation(async ({ ctx, input }) => {
    const org = await ctx.db.transaction((tx) =>
      update(tx, ctx.actor, input.org, { name: input.name, status: input.status }),
    );
    return toOrg(org);
  });
