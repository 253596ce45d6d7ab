import { z } from "zod";
import { SELF } from "@/server/iam/permissions";
import { markNotificationsRead as mark } from "@/server/services/prefs";
import { authedProcedure } from "@/server/trpc";

export const markNotificationsRead = authedProcedure
  .meta({
    permission: SELF,
    auditAction: "prefs.notification.read",
    openapi: {
      method: "POST",
      path: "/common/v1/me/notifications/read",
      tags: ["notifications"],
      summary: "Mark some or all of the caller's notifications read",
    },
  })
  .input(
    z.object({
      ids: z.array(z.string().uuid()).max(200).optional().describe("Notifications to mark read"),
      all: z.boolean().optional().describe("Mark every unread notification read"),
    }),
  )
  .output(
    z.object({
      updated: z.number().int().describe("Notifications that changed from unread to read"),
      unreadCount: z.number().int(),
    }),
  )
  .mutation(({ ctx, input }) => ctx.db.transaction((tx) => mark(tx, ctx.actor, ctx.principal.userId, input)));
