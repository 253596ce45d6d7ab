import { z } from "zod";
import { resendInvitation as resend } from "@/server/services/iam/users";
import { orgProcedure } from "@/server/trpc";
import { invitationUrl } from "./invitation-url";
import { invitationOutput, toUser, userOutput, userRef } from "./schemas";

export const resendInvitation = orgProcedure
  .meta({
    permission: "iam.user.invite",
    auditAction: "iam.user.invite",
    openapi: {
      method: "POST",
      path: "/tenant/v1/organizations/{org}/users/{userId}/invitation",
      tags: ["iam"],
      summary: "Issue a new invitation link (the previous one stops working)",
    },
  })
  .input(
    z.object({
      userId: userRef,
      expiresInDays: z.number().int().min(1).max(30).default(7).describe("Lifetime of the link (1-30 days)"),
    }),
  )
  .output(z.object({ user: userOutput, invitation: invitationOutput }))
  .mutation(async ({ ctx, input }) => {
    const res = await ctx.db.transaction((tx) =>
      resend(tx, ctx.actor, ctx.org, input.userId, input.expiresInDays),
    );
    return {
      user: toUser(res.user),
      invitation: { url: invitationUrl(res.invitation.token), expiresAt: res.invitation.expiresAt },
    };
  });
