import { z } from "zod";
import { PUBLIC } from "@/server/iam/permissions";
import { acceptInvitation } from "@/server/services/iam/users";
import { publicProcedure } from "@/server/trpc";
import { invitationView } from "./get-invitation";

export const acceptInvite = publicProcedure
  .meta({
    permission: PUBLIC,
    auditAction: "iam.invitation.accept",
    openapi: {
      method: "POST",
      path: "/common/v1/invitations/accept",
      tags: ["common"],
      summary: "Accept an invitation by setting a password (rate limited like sign-in)",
      protect: false,
    },
  })
  .input(
    z.object({
      token: z.string().trim().min(16).max(128).describe("The token of the invite link"),
      password: z.string().min(10, "use at least 10 characters").max(256).describe("The new password"),
      name: z.string().trim().min(1).max(64).optional().describe("Display name, if it should change"),
    }),
  )
  .output(invitationView)
  .mutation(({ ctx, input }) => acceptInvitation(ctx.db, ctx.actor, input));
