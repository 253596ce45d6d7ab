import { z } from "zod";
import { inviteUser as invite } from "@/server/services/iam/users";
import { orgProcedure } from "@/server/trpc";
import { nameSchema } from "../shared";
import { invitationUrl } from "./invitation-url";
import { invitationOutput, projectRef, roleRef, toUser, userOutput } from "./schemas";

export const inviteUser = orgProcedure
  .meta({
    permission: "iam.user.invite",
    successStatus: 201,
    idempotent: true,
    openapi: {
      method: "POST",
      path: "/tenant/v1/organizations/{org}/users",
      tags: ["iam"],
      summary: "Invite a user with an initial role (at organisation or project scope)",
    },
  })
  .input(
    z.object({
      email: z.string().trim().toLowerCase().email().max(254).describe("Email address of the invitee"),
      name: nameSchema.describe("Display name"),
      role: roleRef.describe("Initial role: id or key (e.g. project-member)"),
      project: projectRef
        .optional()
        .describe("Bind the initial role in this project (id or slug); omit for the whole organisation"),
      expiresInDays: z
        .number()
        .int()
        .min(1)
        .max(30)
        .default(7)
        .describe("Lifetime of the invitation link (1-30 days)"),
    }),
  )
  .output(
    z.object({
      user: userOutput,
      created: z.boolean().describe("A new account was created (false: an existing account joined)"),
      invitation: invitationOutput
        .nullable()
        .describe("Present when the user must still set a password; null when they can already sign in"),
    }),
  )
  .mutation(async ({ ctx, input }) => {
    const res = await ctx.db.transaction((tx) => invite(tx, ctx.actor, ctx.grants, ctx.org, input));
    return {
      user: toUser(res.user),
      created: res.created,
      invitation: res.invitation
        ? { url: invitationUrl(res.invitation.token), expiresAt: res.invitation.expiresAt }
        : null,
    };
  });
