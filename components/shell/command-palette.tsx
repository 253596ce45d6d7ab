"use client";
// ⌘K / Ctrl+K: jump to a page, an organisation or project, or find a resource by name (server
// search over what the caller may see). A combobox: arrows move, Enter opens, Escape closes.
import { useQuery } from "@tanstack/react-query";
import { Building2, CornerDownLeft, FolderKanban, Moon, Search, Server, Settings, Sun } from "lucide-react";
import { useRouter } from "next/navigation";
import { useEffect, useId, useMemo, useRef, useState, type ReactNode } from "react";
import { useTRPC, type RouterOutputs } from "@/components/trpc";
import { Dialog, Kbd, Spinner, StatusPill, cn, errorInfo } from "@/components/ui";
import { NAV, resourceHref } from "./nav";
import { useTheme } from "./theme";

type Me = RouterOutputs["common"]["getMe"];

interface Command {
  id: string;
  group: string;
  label: string;
  hint?: string;
  icon: ReactNode;
  keywords?: string;
  status?: string | null;
  run: () => void;
}

function matches(c: Command, q: string): boolean {
  if (!q) return true;
  const hay = `${c.label} ${c.hint ?? ""} ${c.keywords ?? ""}`.toLowerCase();
  return q
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every((w) => hay.includes(w));
}

export function CommandPalette({
  open,
  onClose,
  me,
  scope,
  can,
}: {
  open: boolean;
  onClose: () => void;
  me: Me | undefined;
  scope: { org: string | null; project: string | null };
  can: (permission: string) => boolean;
}) {
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title="Command palette"
      size="lg"
      bare
      className="mt-[12vh] overflow-hidden"
    >
      {open ? <PaletteBody onClose={onClose} me={me} scope={scope} can={can} /> : null}
    </Dialog>
  );
}

function PaletteBody({
  onClose,
  me,
  scope,
  can,
}: {
  onClose: () => void;
  me: Me | undefined;
  scope: { org: string | null; project: string | null };
  can: (permission: string) => boolean;
}) {
  const router = useRouter();
  const trpc = useTRPC();
  const { setTheme } = useTheme();
  const [q, setQ] = useState("");
  const [debounced, setDebounced] = useState("");
  const [active, setActive] = useState(0);
  const listId = useId();
  const listRef = useRef<HTMLUListElement>(null);

  useEffect(() => {
    const t = setTimeout(() => setDebounced(q.trim()), 200);
    return () => clearTimeout(t);
  }, [q]);

  const search = useQuery({
    ...trpc.prefs.search.queryOptions({ q: debounced, limit: 12 }),
    enabled: debounced.length >= 2,
    staleTime: 10_000,
  });

  const go = (href: string) => {
    onClose();
    router.push(href);
  };

  const commands = useMemo<Command[]>(() => {
    const out: Command[] = [];
    const org = scope.org ?? me?.memberships[0]?.org.slug ?? null;
    const platform = (me?.platformPermissions.length ?? 0) > 0;
    if (org)
      for (const section of NAV) {
        if (section.platform && !platform) continue;
        for (const item of section.items) {
          const href = item.href?.({ org, project: scope.project });
          if (!href) continue;
          if (item.anyOf && !item.anyOf.some(can)) continue;
          const Icon = item.icon;
          out.push({
            id: `page:${item.id}`,
            group: "Pages",
            label: item.label,
            hint: section.label ?? undefined,
            keywords: item.keywords,
            icon: <Icon />,
            run: () => go(href),
          });
        }
      }
    out.push(
      {
        id: "page:preferences",
        group: "Pages",
        label: "Preferences",
        hint: "Settings",
        keywords: "theme settings default",
        icon: <Settings />,
        run: () => go("/settings/preferences"),
      },
      {
        id: "page:tokens",
        group: "Pages",
        label: "API tokens",
        hint: "Settings",
        keywords: "cli token key automation",
        icon: <Settings />,
        run: () => go("/settings/tokens"),
      },
    );
    for (const m of me?.memberships ?? []) {
      out.push({
        id: `org:${m.org.slug}`,
        group: "Organisations and projects",
        label: m.org.name,
        hint: m.org.slug,
        icon: <Building2 />,
        run: () => go(`/${m.org.slug}`),
      });
      for (const p of m.projects)
        out.push({
          id: `project:${m.org.slug}/${p.slug}`,
          group: "Organisations and projects",
          label: p.name,
          hint: `${m.org.name} / ${p.slug}`,
          icon: <FolderKanban />,
          run: () => go(`/${m.org.slug}/${p.slug}`),
        });
    }
    out.push(
      {
        id: "theme:light",
        group: "Actions",
        label: "Switch to light theme",
        keywords: "appearance mode",
        icon: <Sun />,
        run: () => {
          setTheme("light");
          onClose();
        },
      },
      {
        id: "theme:dark",
        group: "Actions",
        label: "Switch to dark theme",
        keywords: "appearance mode night",
        icon: <Moon />,
        run: () => {
          setTheme("dark");
          onClose();
        },
      },
    );
    return out;
    // go/onClose are stable enough for a list rebuilt per open palette.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [me, scope.org, scope.project, can, setTheme]);

  const shown = useMemo(() => {
    const local = commands.filter((c) => matches(c, q)).slice(0, q ? 30 : 12);
    const found: Command[] =
      debounced.length >= 2 && debounced === q.trim()
        ? (search.data?.items ?? [])
            .filter((h) => h.type === "resource")
            .map((h) => ({
              id: `resource:${h.id}`,
              group: "Resources",
              label: h.name,
              hint: `${h.kind} · ${h.orgSlug} / ${h.projectSlug}`,
              status: h.status,
              icon: <Server />,
              run: () => go(resourceHref(h)),
            }))
        : [];
    return [...local, ...found];
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [commands, q, debounced, search.data]);

  const [prevLen, setPrevLen] = useState(shown.length);
  if (prevLen !== shown.length) {
    setPrevLen(shown.length);
    if (active >= shown.length) setActive(0);
  }

  useEffect(() => {
    listRef.current?.querySelector(`[data-index="${active}"]`)?.scrollIntoView({ block: "nearest" });
  }, [active]);

  const onKeyDown = (e: React.KeyboardEvent) => {
    if (e.key === "ArrowDown") {
      e.preventDefault();
      setActive((a) => (shown.length ? (a + 1) % shown.length : 0));
    } else if (e.key === "ArrowUp") {
      e.preventDefault();
      setActive((a) => (shown.length ? (a - 1 + shown.length) % shown.length : 0));
    } else if (e.key === "Enter") {
      e.preventDefault();
      shown[active]?.run();
    }
  };

  let lastGroup = "";
  const searching = debounced.length >= 2 && (search.isFetching || debounced !== q.trim());
  return (
    <div className="flex min-h-0 flex-col">
      <div className="flex items-center gap-3 border-b border-border px-4">
        <Search className="size-4 shrink-0 text-muted-foreground" aria-hidden="true" />
        <input
          autoFocus
          role="combobox"
          aria-expanded="true"
          aria-controls={listId}
          aria-activedescendant={shown[active] ? `${listId}-${active}` : undefined}
          aria-label="Search pages, projects and resources"
          placeholder="Search pages, projects and resources…"
          value={q}
          onChange={(e) => {
            setQ(e.target.value);
            setActive(0);
          }}
          onKeyDown={onKeyDown}
          className="h-12 min-w-0 flex-1 bg-transparent text-sm outline-none placeholder:text-muted-foreground"
          data-testid="palette-input"
        />
        {searching ? <Spinner className="text-muted-foreground" /> : null}
      </div>
      <ul
        id={listId}
        ref={listRef}
        role="listbox"
        aria-label="Results"
        className="max-h-[50vh] overflow-y-auto p-2"
      >
        {shown.length === 0 ? (
          <li className="px-3 py-8 text-center text-sm text-muted-foreground">
            {search.isError
              ? `Search failed: ${errorInfo(search.error).message}`
              : searching
                ? "Searching…"
                : `Nothing matches “${q}”.`}
          </li>
        ) : null}
        {shown.map((c, i) => {
          const header = c.group !== lastGroup ? c.group : null;
          lastGroup = c.group;
          return (
            <li key={c.id} role="presentation">
              {header ? (
                <p className="px-3 pt-2 pb-1 text-xs font-medium text-muted-foreground" role="presentation">
                  {header}
                </p>
              ) : null}
              <div
                id={`${listId}-${i}`}
                role="option"
                aria-selected={i === active}
                data-index={i}
                onMouseMove={() => setActive(i)}
                onClick={() => c.run()}
                className={cn(
                  "flex h-10 cursor-pointer items-center gap-3 rounded-md px-3 text-sm [&_svg]:size-4 [&_svg]:shrink-0",
                  i === active ? "bg-primary-soft text-foreground" : "text-foreground",
                )}
              >
                <span className="text-muted-foreground">{c.icon}</span>
                <span className="truncate font-medium">{c.label}</span>
                {c.hint ? <span className="truncate text-xs text-muted-foreground">{c.hint}</span> : null}
                <span className="ml-auto flex shrink-0 items-center gap-2">
                  {c.status ? <StatusPill status={c.status} /> : null}
                  {i === active ? (
                    <CornerDownLeft className="text-muted-foreground" aria-hidden="true" />
                  ) : null}
                </span>
              </div>
            </li>
          );
        })}
      </ul>
      <div className="flex items-center gap-4 border-t border-border px-4 py-2 text-xs text-muted-foreground">
        <span className="flex items-center gap-1">
          <Kbd>↑</Kbd>
          <Kbd>↓</Kbd> move
        </span>
        <span className="flex items-center gap-1">
          <Kbd>↵</Kbd> open
        </span>
        <span className="flex items-center gap-1">
          <Kbd>Esc</Kbd> close
        </span>
        <span className="ml-auto">Type 2+ letters to search resources</span>
      </div>
    </div>
  );
}
