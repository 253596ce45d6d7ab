"use client";
// The caller's permissions at a scope (from common.getMe), to gate buttons. The server still
// checks every call: this only avoids offering what would be refused.
import { useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { useTRPC } from "@/components/trpc";
import type { KindScope } from "./registry";

export interface PermissionCheck {
  /** True once getMe has answered. */
  ready: boolean;
  can: (permission: string) => boolean;
  isPlatform: boolean;
}

const sameRef = (ref: string | undefined, item: { id: string; slug: string }) =>
  ref !== undefined && (item.slug === ref.toLowerCase() || item.id === ref);

export function usePermissions(scope: KindScope = {}): PermissionCheck {
  const trpc = useTRPC();
  const me = useQuery({ ...trpc.common.getMe.queryOptions(), staleTime: 60_000 });
  return useMemo(() => {
    const data = me.data;
    const set = new Set<string>(data?.platformPermissions ?? []);
    const membership = data?.memberships.find((m) => sameRef(scope.org, m.org));
    membership?.permissions.forEach((p) => set.add(p));
    if (scope.project) {
      const project = membership?.projects.find((p) => sameRef(scope.project, p));
      project?.permissions.forEach((p) => set.add(p));
    }
    return {
      ready: Boolean(data),
      can: (permission: string) => set.has(permission),
      isPlatform: (data?.platformPermissions.length ?? 0) > 0,
    };
  }, [me.data, scope.org, scope.project]);
}
