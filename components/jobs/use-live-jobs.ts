"use client";
// Live job updates (jobs.live over SSE): each update refetches the job queries it concerns,
// at most a few times a second; a (re)connection or a resync refetches them all.
import { useQueryClient } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import { useEffect, useState } from "react";
import { useTRPC } from "@/components/trpc";

/** Runs the latest function at most once per `ms`, at the end of the window. */
export function createThrottle(ms: number) {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let latest: (() => void) | null = null;
  return {
    run(fn: () => void) {
      latest = fn;
      timer ??= setTimeout(() => {
        timer = null;
        latest?.();
      }, ms);
    },
    cancel() {
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
}

export interface LiveJobs {
  status: "connecting" | "live" | "error";
  error: unknown;
  retry: () => void;
}

export function useLiveJobs(input: { org: string; project?: string; jobId?: string }): LiveJobs {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  // A burst of step updates becomes one refetch.
  const [throttle] = useState(() => createThrottle(300));
  useEffect(() => () => throttle.cancel(), [throttle]);
  const refresh = () =>
    throttle.run(() => void queryClient.invalidateQueries({ queryKey: trpc.jobs.pathKey() }));

  const sub = useSubscription(
    trpc.jobs.live.subscriptionOptions(input, {
      onStarted: refresh,
      onData: refresh,
    }),
  );
  return {
    status: sub.status === "error" ? "error" : sub.status === "pending" ? "live" : "connecting",
    error: sub.error,
    retry: sub.reset,
  };
}
