// The activity log's live feed: new events that pass the reader's filters, re-checked against
// the reader's current grants. Tracked by event id, so a reconnecting client (Last-Event-ID)
// first receives what it missed.
import { tracked } from "@trpc/server";
import { z } from "zod";
import { AppError } from "@/server/errors";
import { can } from "@/server/iam/access";
import { LiveAccess } from "@/server/realtime/access";
import { liveError } from "@/server/realtime/errors";
import { openHubStream, type HubStream } from "@/server/realtime/stream";
import { auditEventsByIds, auditEventsSince } from "@/server/services/audit/list";
import { resolveFilters, type ResolvedFilters } from "@/server/services/audit/query";
import { orgProcedure } from "@/server/trpc";
import { auditEventOutput, auditFilterInput, toFilters, type AuditEventOutput } from "./schemas";

/** A reconnect replays at most this many missed events; beyond that the client reloads the page. */
const REPLAY_LIMIT = 200;
const REFILTER_MS = 60_000;

export const liveMessage = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("event"), event: auditEventOutput }),
  z.object({ kind: z.literal("resync").describe("Events may have been missed: reload the list") }),
]);
export type AuditLiveMessage = { kind: "event"; event: AuditEventOutput } | { kind: "resync" };

export const watchEvents = orgProcedure
  .meta({ permission: "audit.event.list" })
  .input(
    z.object({
      ...auditFilterInput,
      lastEventId: z
        .string()
        .regex(/^\d{1,18}$/)
        .nullish()
        .describe("Id of the last event received (sent by the client when it reconnects)"),
    }),
  )
  .subscription(async ({ ctx, input, signal }) => {
    // Checks and filter resolution run before the stream starts, so a refusal or a bad filter is
    // the subscription's answer.
    const org = ctx.org;
    const access = new LiveAccess(ctx.db, ctx.principal, ctx.grants);
    const request = toFilters(input);
    let filters: ResolvedFilters = await resolveFilters(ctx.db, org.id, request);
    let filteredAt = Date.now();
    let lastId = input.lastEventId ? Number(input.lastEventId) : 0;
    const event = (e: AuditEventOutput) => {
      lastId = Math.max(lastId, e.id);
      return tracked(String(e.id), liveMessage.parse({ kind: "event", event: e }) as AuditLiveMessage);
    };
    const resync = () => tracked(String(lastId), { kind: "resync" } as AuditLiveMessage);

    return (async function* () {
      let stream: HubStream | null = null;
      try {
        // Listen before replaying, so nothing written in between falls through the gap.
        stream = await openHubStream({
          signal,
          accept: (m) => m.type === "audit" && m.orgId === org.id,
        });
        if (lastId > 0) {
          const missed = await auditEventsSince(ctx.db, org, filters, lastId, REPLAY_LIMIT);
          for (const e of missed.items) yield event(e);
          if (!missed.complete) yield resync();
        }
        for await (const batch of stream) {
          const grants = await access.current();
          if (!can(grants, "audit.event.list", { orgId: org.id })) {
            throw new AppError("FORBIDDEN", "You no longer have the permission audit.event.list here", {
              details: { permission: "audit.event.list" },
            });
          }
          if (Date.now() - filteredAt > REFILTER_MS) {
            filters = await resolveFilters(ctx.db, org.id, request);
            filteredAt = Date.now();
          }
          const ids: number[] = [];
          let missedSome = false;
          for (const m of batch) {
            if (m.type === "audit") ids.push(m.id);
            else if (m.type === "resync") missedSome = true;
          }
          for (const e of await auditEventsByIds(ctx.db, org, filters, ids)) yield event(e);
          if (missedSome) yield resync();
        }
      } catch (e) {
        throw liveError(e);
      } finally {
        stream?.close();
      }
    })();
  });
