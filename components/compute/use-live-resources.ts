"use client";
// Live inventory updates (resources.live over SSE): a change to a watched kind refetches the
// compute, network and storage queries (lists and details) at most a few times a second; a
// (re)connection or a resync refetches them all. Jobs refetch too: an instance's job moves with it.
import { useQueryClient } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import { useEffect, useState } from "react";
import { createThrottle } from "@/components/jobs/use-live-jobs";
import { useTRPC } from "@/components/trpc";

export type LiveKind =
  | "instance"
  | "image"
  | "flavor"
  | "keypair"
  | "network"
  | "subnet"
  | "security_group"
  | "floating_ip"
  | "volume";

export interface LiveResources {
  status: "connecting" | "live" | "error";
  error: unknown;
  retry: () => void;
}

export function useLiveResources(input: { org: string; project: string; kinds: LiveKind[] }): LiveResources {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [throttle] = useState(() => createThrottle(400));
  useEffect(() => () => throttle.cancel(), [throttle]);
  const refresh = () =>
    throttle.run(() => {
      for (const key of [
        trpc.compute.pathKey(),
        trpc.network.pathKey(),
        trpc.storage.pathKey(),
        trpc.jobs.pathKey(),
      ])
        void queryClient.invalidateQueries({ queryKey: key });
    });

  const sub = useSubscription(
    trpc.resources.live.subscriptionOptions(input, {
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
