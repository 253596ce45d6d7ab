import { z } from "zod";
import { PUBLIC } from "@/server/iam/permissions";
import { getInvitation as get } from "@/server/services/iam/users";
import { publicProcedure } from "@/server/trpc";
import { isoDate } from "../shared";

export const invitationView = z.object({
  email: z.string(),
  name: z.string(),
  expiresAt: isoDate,
  organizations: z.array(z.object({ slug: z.string(), name: z.string() })),
});

export const getInvitation = publicProcedure
  .meta({
    permission: PUBLIC,
    openapi: {
      method: "GET",
      path: "/common/v1/invitations/{token}",
      tags: ["common"],
      summary: "Look at a pending invitation (rate limited)",
      protect: false,
    },
  })
  .input(z.object({ token: z.string().trim().min(16).max(128).describe("The token of the invite link") }))
  .output(invitationView)
  .query(({ ctx, input }) => get(ctx.db, input.token, ctx.actor.ip));
