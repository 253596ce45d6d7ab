"use client";
// Organisation and project switcher: lists the caller's organisations with their projects. On a
// project page it keeps the sub-page (jobs of web → jobs of data).
import { Building2, Check, ChevronsUpDown, FolderKanban, Search } from "lucide-react";
import { usePathname, useRouter } from "next/navigation";
import { useState } from "react";
import type { RouterOutputs } from "@/components/trpc";
import { Input, Popover, Skeleton, cn } from "@/components/ui";

type Membership = RouterOutputs["common"]["getMe"]["memberships"][number];

export function ScopeSwitcher({
  memberships,
  loading,
  scope,
}: {
  memberships: Membership[];
  loading: boolean;
  scope: { org: string | null; project: string | null };
}) {
  const router = useRouter();
  const pathname = usePathname();
  const [filter, setFilter] = useState("");
  const org = memberships.find((m) => m.org.slug === scope.org);
  const project = org?.projects.find((p) => p.slug === scope.project);

  const hrefFor = (orgSlug: string, projectSlug: string | null) => {
    if (!projectSlug) return `/${orgSlug}`;
    // Same org, from one project page to another: keep what follows the project segment.
    const parts = pathname.split("/").filter(Boolean);
    const rest = scope.project && scope.org === orgSlug ? parts.slice(2).join("/") : "";
    return `/${orgSlug}/${projectSlug}${rest ? `/${rest}` : ""}`;
  };

  if (loading) return <Skeleton className="h-9 w-40 sm:w-56" />;
  if (memberships.length === 0) return null;
  const f = filter.trim().toLowerCase();

  return (
    <Popover
      triggerVariant="ghost"
      triggerClassName="min-w-0 max-w-[min(28rem,60vw)] shrink justify-start gap-2 px-2"
      aria-label="Switch organisation or project"
      data-testid="scope-switcher"
      trigger={
        <>
          <span className="flex size-6 shrink-0 items-center justify-center rounded bg-primary-soft text-primary [&_svg]:size-3.5">
            <Building2 />
          </span>
          <span className={cn("truncate font-semibold", project && "hidden sm:inline")}>
            {org?.org.name ?? "Choose an organisation"}
          </span>
          {project ? (
            <>
              <span className="hidden text-muted-foreground sm:inline">/</span>
              <span className="truncate">{project.name}</span>
            </>
          ) : null}
          <ChevronsUpDown className="shrink-0 text-muted-foreground" />
        </>
      }
      panelClassName="w-80"
    >
      {(close) => (
        <div className="flex max-h-[70vh] flex-col">
          <div className="border-b border-border p-2">
            <Input
              autoFocus
              aria-label="Filter organisations and projects"
              placeholder="Find an organisation or project"
              leading={<Search />}
              value={filter}
              onChange={(e) => setFilter(e.target.value)}
            />
          </div>
          <ul className="min-h-0 flex-1 overflow-y-auto p-1.5">
            {memberships.map((m) => {
              const projects = m.projects.filter(
                (p) =>
                  !f ||
                  p.name.toLowerCase().includes(f) ||
                  p.slug.includes(f) ||
                  m.org.name.toLowerCase().includes(f),
              );
              if (f && projects.length === 0 && !m.org.name.toLowerCase().includes(f)) return null;
              const orgActive = m.org.slug === scope.org && !scope.project;
              return (
                <li key={m.org.id} className="mb-1">
                  <button
                    type="button"
                    className={cn(
                      "flex h-9 w-full items-center gap-2 rounded-md px-2 text-left text-sm font-medium hover:bg-surface-muted",
                      orgActive && "bg-primary-soft",
                    )}
                    onClick={() => {
                      close();
                      router.push(hrefFor(m.org.slug, null));
                    }}
                  >
                    <Building2 className="size-4 text-muted-foreground" />
                    <span className="truncate">{m.org.name}</span>
                    {orgActive ? <Check className="ml-auto size-4 text-primary" /> : null}
                  </button>
                  <ul>
                    {projects.map((p) => {
                      const active = m.org.slug === scope.org && p.slug === scope.project;
                      return (
                        <li key={p.id}>
                          <button
                            type="button"
                            className={cn(
                              "flex h-8 w-full items-center gap-2 rounded-md pr-2 pl-8 text-left text-sm hover:bg-surface-muted",
                              active && "bg-primary-soft",
                            )}
                            onClick={() => {
                              close();
                              router.push(hrefFor(m.org.slug, p.slug));
                            }}
                          >
                            <FolderKanban className="size-3.5 text-muted-foreground" />
                            <span className="truncate">{p.name}</span>
                            <span className="truncate text-xs text-muted-foreground">{p.slug}</span>
                            {active ? <Check className="ml-auto size-4 shrink-0 text-primary" /> : null}
                          </button>
                        </li>
                      );
                    })}
                    {m.projects.length === 0 ? (
                      <li className="py-1 pl-8 text-xs text-muted-foreground">No projects you can see</li>
                    ) : null}
                  </ul>
                </li>
              );
            })}
          </ul>
        </div>
      )}
    </Popover>
  );
}
