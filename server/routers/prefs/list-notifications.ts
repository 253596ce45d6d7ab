import { z } from "zod";
import { SELF } from "@/server/iam/permissions";
import { listNotifications as list } from "@/server/services/prefs";
import { authedProcedure } from "@/server/trpc";
import { pageInput } from "../shared";
import { notificationOutput, toNotification } from "./schemas";

export const listNotifications = authedProcedure
  .meta({
    permission: SELF,
    openapi: {
      method: "GET",
      path: "/common/v1/me/notifications",
      tags: ["notifications"],
      summary: "The caller's notifications, newest first, with the unread count",
    },
  })
  .input(
    z.object({
      unreadOnly: z.enum(["true", "false"]).optional().describe("Only unread notifications"),
      ...pageInput,
      limit: z.coerce.number().int().min(1).max(100).default(20).describe("Page size (1-100)"),
    }),
  )
  .output(
    z.object({
      items: z.array(notificationOutput),
      nextCursor: z.string().nullable(),
      unreadCount: z.number().int().describe("Unread notifications in total"),
    }),
  )
  .query(async ({ ctx, input }) => {
    const page = await list(ctx.db, ctx.principal.userId, {
      unreadOnly: input.unreadOnly === "true",
      limit: input.limit,
      cursor: input.cursor,
    });
    return { ...page, items: page.items.map(toNotification) };
  });
