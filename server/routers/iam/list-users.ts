import { z } from "zod";
import { listOrgUsers } from "@/server/services/iam/users";
import { orgProcedure } from "@/server/trpc";
import { decodeCursor, encodeCursor, page, pageInput } from "../shared";
import { toUser, userOutput } from "./schemas";

export const listUsers = orgProcedure
  .meta({
    permission: "iam.user.list",
    openapi: {
      method: "GET",
      path: "/tenant/v1/organizations/{org}/users",
      tags: ["iam"],
      summary: "List the organisation's users with their role assignments",
    },
  })
  .input(
    z.object({
      q: z.string().trim().max(100).optional().describe("Search by name or email"),
      status: z.enum(["active", "invited", "suspended"]).optional().describe("Only users in this state"),
      ...pageInput,
    }),
  )
  .output(page(userOutput))
  .query(async ({ ctx, input }) => {
    const c = decodeCursor(input.cursor);
    const after =
      c && typeof c[0] === "string" && typeof c[1] === "string" ? { email: c[0], id: c[1] } : null;
    const { items, more } = await listOrgUsers(ctx.db, ctx.org, {
      q: input.q,
      status: input.status,
      limit: input.limit,
      after,
    });
    const last = items.at(-1);
    return {
      items: items.map(toUser),
      nextCursor: more && last ? encodeCursor([last.email.toLowerCase(), last.id]) : null,
    };
  });
