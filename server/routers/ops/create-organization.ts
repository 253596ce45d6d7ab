import { z } from "zod";
import { createOrganizationWithAdmin } from "@/server/services/ops/organizations";
import { platformProcedure } from "@/server/trpc";
import { nameSchema, orgOutput, slugSchema, toOrg } from "../shared";

export const createOrganization = platformProcedure
  .meta({
    permission: "platform.organization.create",
    successStatus: 201,
    idempotent: true,
    openapi: {
      method: "POST",
      path: "/ops/v1/organizations",
      tags: ["operators"],
      summary: "Create an organisation with its first admin",
      description:
        "The admin is invited when the email is new (the answer carries the invitation link, once); an existing account is made org admin at once.",
    },
  })
  .input(
    z.object({
      name: nameSchema.describe("Display name"),
      slug: slugSchema.optional().describe("URL name; derived from the name when omitted"),
      admin: z
        .object({
          email: z.string().trim().email().max(254).describe("Email of the first org admin"),
          name: z.string().trim().max(64).optional().describe("Their name (for a new account)"),
        })
        .describe("The organisation's first admin"),
    }),
  )
  .output(
    orgOutput.extend({
      admin: z.object({
        id: z.string().uuid(),
        email: z.string(),
        name: z.string(),
        status: z.string().describe("invited (new account) or active"),
        invitation: z
          .object({
            url: z
              .string()
              .describe("The accept link to pass on, shown once (relative unless CIRRUS_PUBLIC_URL is set)"),
            expiresAt: z.date(),
          })
          .nullable()
          .describe("Null when the account already existed"),
      }),
    }),
  )
  .mutation(async ({ ctx, input }) => {
    const { org, admin } = await ctx.db.transaction((tx) =>
      createOrganizationWithAdmin(tx, ctx.actor, input),
    );
    return { ...toOrg(org), admin };
  });
