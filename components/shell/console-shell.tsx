"use client";
// The console frame: top bar (org/project switcher, ⌘K, notifications, account) and the left
// navigation by service, collapsible into a drawer on small screens.
import { useQuery } from "@tanstack/react-query";
import { TRPCClientError } from "@trpc/client";
import { Cloud, Menu, Search, X } from "lucide-react";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useEffect, useMemo, useState, type ReactNode } from "react";
import { useTRPC } from "@/components/trpc";
import { Badge, Button, Kbd, Skeleton, cn } from "@/components/ui";
import { CommandPalette } from "./command-palette";
import { activeNavId, NAV, scopeFromPath } from "./nav";
import { NotificationsMenu } from "./notifications-menu";
import { RegionSelector } from "./region-selector";
import { ScopeSwitcher } from "./scope-switcher";
import { useSyncThemeFromServer } from "./theme";
import { UserMenu } from "./user-menu";

export function ConsoleShell({
  user,
  children,
}: {
  user: { name: string; email: string };
  children: ReactNode;
}) {
  const trpc = useTRPC();
  const pathname = usePathname();
  const me = useQuery({ ...trpc.common.getMe.queryOptions(), staleTime: 60_000 });
  const prefs = useQuery({ ...trpc.prefs.getPreferences.queryOptions(), staleTime: 5 * 60_000 });
  useSyncThemeFromServer();
  const [drawer, setDrawer] = useState(false);
  const [palette, setPalette] = useState(false);

  // A session revoked elsewhere (sign-out on another device, suspension) ends here too.
  useEffect(() => {
    if (
      me.error instanceof TRPCClientError &&
      (me.error.data as { code?: string } | undefined)?.code === "UNAUTHORIZED"
    )
      window.location.assign(`/sign-in?callbackUrl=${encodeURIComponent(window.location.pathname)}`);
  }, [me.error]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.metaKey || e.ctrlKey) && e.key.toLowerCase() === "k") {
        e.preventDefault();
        setPalette((p) => !p);
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  // Close the drawer when the route changes (a link in it was followed).
  const [drawerPath, setDrawerPath] = useState(pathname);
  if (drawerPath !== pathname) {
    setDrawerPath(pathname);
    setDrawer(false);
  }

  const pathScope = scopeFromPath(pathname);
  const memberships = useMemo(() => me.data?.memberships ?? [], [me.data]);
  // Pages outside an org (settings, admin) still get a navigation: the default or first org.
  const navOrg =
    pathScope.org ??
    memberships.find((m) => m.org.slug === prefs.data?.defaultOrg)?.org.slug ??
    memberships[0]?.org.slug ??
    null;
  const navScope = { org: navOrg, project: pathScope.org ? pathScope.project : null };

  const permissions = useMemo(() => {
    const set = new Set<string>(me.data?.platformPermissions ?? []);
    const m = memberships.find((x) => x.org.slug === navScope.org);
    m?.permissions.forEach((p) => set.add(p));
    if (navScope.project)
      m?.projects.find((p) => p.slug === navScope.project)?.permissions.forEach((p) => set.add(p));
    // At org scope, a project-level grant anywhere in the org still opens org pages that list per project.
    if (!navScope.project) m?.projects.forEach((p) => p.permissions.forEach((x) => set.add(x)));
    return set;
  }, [me.data, memberships, navScope.org, navScope.project]);
  const can = useMemo(() => (p: string) => permissions.has(p), [permissions]);

  const sidebar = (
    <SideNav
      scope={navScope}
      pathname={pathname}
      loading={me.isPending}
      can={can}
      platform={(me.data?.platformPermissions.length ?? 0) > 0}
    />
  );

  return (
    <div className="flex min-h-dvh flex-col">
      <a
        href="#main"
        className="sr-only z-[200] rounded-md bg-primary px-3 py-2 text-primary-foreground focus:not-sr-only focus:fixed focus:top-2 focus:left-2"
      >
        Skip to content
      </a>
      <header className="sticky top-0 z-40 flex h-14 shrink-0 items-center gap-2 border-b border-border bg-surface/95 px-3 backdrop-blur supports-[backdrop-filter]:bg-surface/80 lg:px-4">
        <Button
          variant="ghost"
          size="icon"
          className="lg:hidden"
          aria-label={drawer ? "Close navigation" : "Open navigation"}
          aria-expanded={drawer}
          aria-controls="console-nav"
          onClick={() => setDrawer((d) => !d)}
        >
          {drawer ? <X /> : <Menu />}
        </Button>
        <Link
          href={navOrg ? `/${navOrg}` : "/"}
          className="mr-1 flex shrink-0 items-center gap-2 rounded-md px-1 font-semibold tracking-tight sm:mr-2"
        >
          <span className="flex size-7 items-center justify-center rounded-md bg-primary text-primary-foreground">
            <Cloud className="size-4" aria-hidden="true" />
          </span>
          <span className="hidden sm:inline">Cirrus</span>
        </Link>
        <span className="hidden h-6 w-px bg-border sm:block" aria-hidden="true" />
        <ScopeSwitcher memberships={memberships} loading={me.isPending} scope={navScope} />
        <div className="ml-auto flex shrink-0 items-center gap-1">
          <RegionSelector />
          <button
            type="button"
            onClick={() => setPalette(true)}
            className="hidden h-9 w-64 items-center gap-2 rounded-md border border-border-strong bg-surface px-3 text-sm text-muted-foreground shadow-xs hover:bg-surface-muted md:flex"
            aria-label="Search and jump (Ctrl+K)"
            data-testid="open-palette"
          >
            <Search className="size-4" aria-hidden="true" />
            <span className="flex-1 text-left">Search or jump to…</span>
            <Kbd>⌘K</Kbd>
          </button>
          <Button
            variant="ghost"
            size="icon"
            className="md:hidden"
            aria-label="Search and jump"
            onClick={() => setPalette(true)}
          >
            <Search />
          </Button>
          <NotificationsMenu />
          <UserMenu name={me.data?.name ?? user.name} email={me.data?.email ?? user.email} />
        </div>
      </header>

      <div className="flex min-h-0 flex-1">
        <aside className="sticky top-14 hidden h-[calc(100dvh-3.5rem)] w-60 shrink-0 overflow-y-auto border-r border-border bg-surface lg:block">
          {sidebar}
        </aside>
        {drawer ? (
          <div className="fixed inset-0 top-14 z-30 lg:hidden">
            <button
              type="button"
              aria-label="Close navigation"
              className="absolute inset-0 bg-overlay"
              onClick={() => setDrawer(false)}
            />
            <aside className="relative h-full w-72 max-w-[85vw] overflow-y-auto border-r border-border bg-surface shadow-xl">
              {sidebar}
            </aside>
          </div>
        ) : null}
        <main id="main" className="min-w-0 flex-1">
          <div className="mx-auto w-full max-w-7xl px-4 py-6 sm:px-6 lg:px-8">{children}</div>
        </main>
      </div>

      <CommandPalette
        open={palette}
        onClose={() => setPalette(false)}
        me={me.data}
        scope={navScope}
        can={can}
      />
    </div>
  );
}

function SideNav({
  scope,
  pathname,
  loading,
  can,
  platform,
}: {
  scope: { org: string | null; project: string | null };
  pathname: string;
  loading: boolean;
  can: (p: string) => boolean;
  platform: boolean;
}) {
  if (loading)
    return (
      <div className="flex flex-col gap-2 p-4" aria-hidden="true">
        {Array.from({ length: 9 }, (_, i) => (
          <Skeleton key={i} className="h-7" />
        ))}
      </div>
    );
  const org = scope.org;
  const active = org ? activeNavId(pathname, { org, project: scope.project }) : null;
  const adminActive = pathname.startsWith("/admin/");
  return (
    <nav id="console-nav" aria-label="Console" className="flex flex-col gap-5 p-3">
      {NAV.map((section) => {
        if (section.platform && !platform) return null;
        const items = section.items.filter(
          (item) => !item.anyOf || item.href === null || item.anyOf.some(can),
        );
        if (items.length === 0) return null;
        return (
          <div key={section.id}>
            {section.label ? (
              <p className="px-2 pb-1.5 text-xs font-medium tracking-wide text-muted-foreground uppercase">
                {section.label}
              </p>
            ) : null}
            <ul className="flex flex-col gap-0.5">
              {items.map((item) => {
                const Icon = item.icon;
                const href =
                  org || section.platform ? item.href?.({ org: org ?? "", project: scope.project }) : null;
                const isActive = section.platform
                  ? adminActive && href !== null && pathname.startsWith(href ?? "\0")
                  : active === item.id;
                const base =
                  "flex h-8 items-center gap-2.5 rounded-md px-2 text-sm [&_svg]:size-4 [&_svg]:shrink-0";
                if (item.href === null)
                  return (
                    <li key={item.id}>
                      <span
                        aria-disabled="true"
                        className={cn(base, "cursor-default text-muted-foreground/70")}
                        title={`${item.label} is coming soon`}
                      >
                        <Icon />
                        <span className="flex-1">{item.label}</span>
                        <Badge className="h-4 px-1 text-[10px]">Soon</Badge>
                      </span>
                    </li>
                  );
                if (!href)
                  return (
                    <li key={item.id}>
                      <span
                        aria-disabled="true"
                        className={cn(base, "cursor-default text-muted-foreground/70")}
                        title={item.needsProject ? "Choose a project first (switcher at the top)" : undefined}
                      >
                        <Icon />
                        <span className="flex-1">{item.label}</span>
                        {item.needsProject ? <span className="text-[10px]">Project</span> : null}
                      </span>
                    </li>
                  );
                return (
                  <li key={item.id}>
                    <Link
                      href={href}
                      aria-current={isActive ? "page" : undefined}
                      className={cn(
                        base,
                        isActive
                          ? "bg-primary-soft font-medium text-foreground [&_svg]:text-primary"
                          : "text-muted-foreground hover:bg-surface-muted hover:text-foreground",
                      )}
                    >
                      <Icon />
                      {item.label}
                    </Link>
                  </li>
                );
              })}
            </ul>
          </div>
        );
      })}
    </nav>
  );
}
