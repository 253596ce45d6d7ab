"use client";
// Whether the caller may file a quota request anywhere in an organisation (for the organisation,
// or for one of their projects), to offer "Request increase" only to those who can.
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/components/trpc";

/** May the caller file a request anywhere in the org (for the org, or for one of their projects)? */
export function useCanRequest(org: string): boolean {
  const trpc = useTRPC();
  const me = useQuery({ ...trpc.common.getMe.queryOptions(), staleTime: 60_000 });
  const m = me.data?.memberships.find((x) => x.org.slug === org || x.org.id === org);
  return Boolean(
    me.data?.platformPermissions.includes("quota.request.create") ||
      m?.permissions.includes("quota.request.create") ||
      m?.projects.some((p) => p.permissions.includes("quota.request.create")),
  );
}
