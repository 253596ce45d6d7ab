"use client";
// The caller's permissions in one organisation, at org scope and per project (from common.getMe),
// to offer only the roles and scopes the server would accept. The server still checks every call.
import { useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { useTRPC } from "@/components/trpc";

export interface MyAccess {
  ready: boolean;
  userId: string | null;
  orgId: string | null;
  /** Effective at organisation scope (platform grants included). */
  org: ReadonlySet<string>;
  /** Effective in each project the caller can see. */
  project: (projectId: string) => ReadonlySet<string>;
  projects: { id: string; slug: string; name: string }[];
}

const EMPTY: ReadonlySet<string> = new Set();

export function useMyAccess(org: string): MyAccess {
  const trpc = useTRPC();
  const me = useQuery({ ...trpc.common.getMe.queryOptions(), staleTime: 30_000 });
  return useMemo(() => {
    const data = me.data;
    const m = data?.memberships.find((x) => x.org.slug === org.toLowerCase() || x.org.id === org);
    const orgSet = new Set<string>([...(data?.platformPermissions ?? []), ...(m?.permissions ?? [])]);
    const byProject = new Map(m?.projects.map((p) => [p.id, new Set([...orgSet, ...p.permissions])]) ?? []);
    return {
      ready: Boolean(data),
      userId: data?.id ?? null,
      orgId: m?.org.id ?? null,
      org: orgSet,
      project: (id: string) => byProject.get(id) ?? EMPTY,
      projects: m?.projects.map((p) => ({ id: p.id, slug: p.slug, name: p.name })) ?? [],
    };
  }, [me.data, org]);
}

/** Why the caller cannot assign a role at a scope, or null (mirrors server/services/iam/guards.ts). */
export function assignBlocker(
  role: { name: string; scopes: string[]; permissions: string[] },
  scope: "org" | "project",
  held: ReadonlySet<string>,
): string | null {
  if (!role.scopes.includes(scope))
    return `Only assignable at ${role.scopes.map((s) => (s === "org" ? "organisation" : s)).join(" or ")} scope`;
  if (!held.has("iam.rolebinding.create")) return "You cannot assign roles at this scope";
  const missing = role.permissions.filter((p) => !held.has(p));
  if (missing.length > 0)
    return `You do not hold ${missing.length === 1 ? missing[0] : `${missing.length} of its permissions`} here`;
  return null;
}
