"use client";
// The activity log's live feed: new events that match the current filters arrive over the
// audit.live subscription (SSE). Live, they are shown at the top; paused, they wait behind an
// "N new events" pill. A resync (events may have been missed) reloads the list.
import { useQueryClient } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import { useCallback, useEffect, useState } from "react";
import { useTRPC, type RouterOutputs } from "@/components/trpc";

export type AuditEvent = RouterOutputs["audit"]["listEvents"]["items"][number];

/** Events kept in memory above the loaded pages; older ones come back with the next reload. */
const MAX_FRESH = 500;

export interface LiveAudit {
  /** New events shown above the list, newest first. */
  fresh: AuditEvent[];
  /** New events held back while paused. */
  pending: AuditEvent[];
  /** Ids that just arrived (highlighted for a moment). */
  flash: Set<number>;
  showPending: () => void;
  status: "off" | "connecting" | "live" | "error";
  error: unknown;
  retry: () => void;
}

export function useLiveAudit(opts: {
  org: string;
  /** The list's filters (no cursor); a change starts a new feed. */
  input: Record<string, string>;
  /** Newest event of the first page: the feed replays from it, so nothing falls between. */
  since: number | null;
  enabled: boolean;
  paused: boolean;
}): LiveAudit {
  const { org, input, since, enabled, paused } = opts;
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [fresh, setFresh] = useState<AuditEvent[]>([]);
  const [pending, setPending] = useState<AuditEvent[]>([]);
  const [flash, setFlash] = useState<Set<number>>(new Set());
  const key = JSON.stringify(input);

  // A new filter set starts from an empty feed (the list reloads with those filters).
  const [feedKey, setFeedKey] = useState(key);
  if (feedKey !== key) {
    setFeedKey(key);
    setFresh([]);
    setPending([]);
  }

  useEffect(() => {
    if (flash.size === 0) return;
    const t = setTimeout(() => setFlash(new Set()), 2500);
    return () => clearTimeout(t);
  }, [flash]);

  const add = useCallback((e: AuditEvent, held: boolean) => {
    const merge = (list: AuditEvent[]) =>
      // newest first by id, as the list is: events can arrive in another order than their ids
      list.some((x) => x.id === e.id) ? list : [e, ...list].sort((a, b) => b.id - a.id).slice(0, MAX_FRESH);
    if (held) setPending(merge);
    else {
      setFresh(merge);
      setFlash((s) => new Set(s).add(e.id));
    }
  }, []);

  const sub = useSubscription(
    trpc.audit.live.subscriptionOptions(
      { org, ...input, ...(since ? { lastEventId: String(since) } : {}) },
      {
        enabled,
        onData: (message) => {
          // When the filters change this hook is disabled until the new list has loaded; a stream
          // of the previous filters may still deliver while it closes, and must not be shown.
          if (!enabled) return;
          const m = message.data;
          // useSubscription calls the latest options, so `paused` is current here.
          if (m.kind === "event") add(m.event, paused);
          else {
            // Too much was missed to replay: start again from the server's list.
            setFresh([]);
            setPending([]);
            void queryClient.invalidateQueries({ queryKey: trpc.audit.listEvents.pathKey() });
          }
        },
      },
    ),
  );

  const showPending = useCallback(() => {
    setFresh((f) => {
      const ids = new Set(f.map((e) => e.id));
      return [...pending.filter((e) => !ids.has(e.id)), ...f].sort((a, b) => b.id - a.id).slice(0, MAX_FRESH);
    });
    setFlash(new Set(pending.map((e) => e.id)));
    setPending([]);
  }, [pending]);

  const status: LiveAudit["status"] = !enabled
    ? "off"
    : sub.status === "error"
      ? "error"
      : sub.status === "pending"
        ? "live"
        : "connecting";
  return { fresh, pending, flash, showPending, status, error: sub.error, retry: sub.reset };
}
