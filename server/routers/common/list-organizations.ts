import { z } from "zod";
import { SELF } from "@/server/iam/permissions";
import { listOrganizationsFor } from "@/server/services/orgs";
import { authedProcedure } from "@/server/trpc";
import { orgOutput, toOrg } from "../shared";

export const listMyOrganizations = authedProcedure
  .meta({
    permission: SELF,
    openapi: {
      method: "GET",
      path: "/tenant/v1/organizations",
      tags: ["organizations"],
      summary: "Organisations the caller belongs to",
    },
  })
  .input(z.object({}).optional())
  .output(z.object({ items: z.array(orgOutput), nextCursor: z.string().nullable() }))
  .query(async ({ ctx }) => ({
    items: (await listOrganizationsFor(ctx.db, ctx.grants)).map(toOrg),
    nextCursor: null,
  }));
