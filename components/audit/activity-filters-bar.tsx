"use client";
// The activity log's search and filters: free text, action (or a whole service), actor, resource
// kind, project, outcome and time range (presets or a custom range). Values come from the
// organisation's own log (facets) and live in the URL.
import { useQuery } from "@tanstack/react-query";
import { RotateCw, Search, X } from "lucide-react";
import { useEffect, useId, useMemo, useState } from "react";
import { useTRPC } from "@/components/trpc";
import { Button, Input, Select } from "@/components/ui";
import {
  describeAction,
  fromLocalInput,
  isFiltered,
  RANGES,
  toLocalInput,
  type ActivityFilters,
  type RangeId,
} from "./filters";

function groupActions(actions: string[]): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const a of actions) {
    const service = a.split(".")[0] ?? a;
    groups.set(service, [...(groups.get(service) ?? []), a]);
  }
  return groups;
}

/** A text box that applies its value after a pause in typing, on Enter, or when it loses focus. */
function useDebounced(value: string, apply: (v: string) => void, ms = 350) {
  const [draft, setDraft] = useState(value);
  const [seen, setSeen] = useState(value);
  if (seen !== value) {
    // The URL changed under us (back button, "Clear filters"): follow it.
    setSeen(value);
    setDraft(value);
  }
  useEffect(() => {
    if (draft === value) return;
    const t = setTimeout(() => apply(draft), ms);
    return () => clearTimeout(t);
  }, [draft, value, apply, ms]);
  return { draft, setDraft, flush: () => draft !== value && apply(draft) };
}

export function ActivityFiltersBar({
  org,
  filters,
  onChange,
  onRefreshRange,
}: {
  org: string;
  filters: ActivityFilters;
  onChange: (patch: Partial<ActivityFilters>) => void;
  /** Re-anchors a preset range on now. */
  onRefreshRange: () => void;
}) {
  const trpc = useTRPC();
  const facets = useQuery({ ...trpc.audit.listFacets.queryOptions({ org }), staleTime: 60_000 });
  const projects = useQuery({
    ...trpc.resourcemanager.listProjects.queryOptions({ org, limit: 500 }),
    staleTime: 60_000,
  });
  const actorList = useId();
  const search = useDebounced(filters.q, (q) => onChange({ q }));
  const actor = useDebounced(filters.actor, (a) => onChange({ actor: a }), 600);
  const groups = useMemo(() => groupActions(facets.data?.actions ?? []), [facets.data]);
  const kinds = facets.data?.targetKinds ?? [];

  return (
    <div className="flex flex-col gap-2" data-testid="activity-filters">
      <div className="flex flex-wrap items-center gap-2">
        <div className="min-w-64 flex-1">
          <Input
            type="search"
            aria-label="Search the activity log"
            placeholder="Search actions, people, resources, messages…"
            leading={<Search />}
            value={search.draft}
            onChange={(e) => search.setDraft(e.target.value)}
            onKeyDown={(e) => e.key === "Enter" && search.flush()}
            data-testid="activity-search"
          />
        </div>
        <div className="w-48">
          <Select
            aria-label="Time range"
            value={filters.range}
            onChange={(e) => {
              const range = e.target.value as RangeId;
              onChange(
                range === "custom"
                  ? {
                      range,
                      from: filters.from || new Date(Date.now() - 86_400_000).toISOString(),
                      to: filters.to,
                    }
                  : { range, from: "", to: "" },
              );
            }}
            data-testid="filter-range"
          >
            <option value="all">All time</option>
            {RANGES.map((r) => (
              <option key={r.id} value={r.id}>
                {r.label}
              </option>
            ))}
            <option value="custom">Custom range…</option>
          </Select>
        </div>
        {RANGES.some((r) => r.id === filters.range) ? (
          <Button
            variant="ghost"
            size="icon"
            aria-label="Move the time range to now"
            title="Move the time range to now"
            onClick={onRefreshRange}
          >
            <RotateCw className="size-4" />
          </Button>
        ) : null}
      </div>
      {filters.range === "custom" ? (
        <div className="flex flex-wrap items-center gap-2 text-sm">
          <label className="flex items-center gap-2">
            <span className="text-muted-foreground">From</span>
            <Input
              type="datetime-local"
              className="w-56"
              value={toLocalInput(filters.from)}
              max={toLocalInput(filters.to) || undefined}
              onChange={(e) => onChange({ from: fromLocalInput(e.target.value) })}
              data-testid="filter-from"
            />
          </label>
          <label className="flex items-center gap-2">
            <span className="text-muted-foreground">To</span>
            <Input
              type="datetime-local"
              className="w-56"
              value={toLocalInput(filters.to)}
              min={toLocalInput(filters.from) || undefined}
              onChange={(e) => onChange({ to: fromLocalInput(e.target.value) })}
              data-testid="filter-to"
            />
          </label>
          <span className="text-xs text-muted-foreground">
            Leave “To” empty to include new events as they happen.
          </span>
        </div>
      ) : null}
      <div className="flex flex-wrap items-center gap-2">
        <div className="w-64">
          <Select
            aria-label="Action"
            value={filters.action}
            onChange={(e) => onChange({ action: e.target.value })}
            data-testid="filter-action"
          >
            <option value="">All actions</option>
            {filters.action &&
            !facets.data?.actions.includes(filters.action) &&
            !filters.action.endsWith("*") ? (
              <option value={filters.action}>{filters.action}</option>
            ) : null}
            {[...groups.entries()].map(([service, actions]) => (
              <optgroup key={service} label={service}>
                <option value={`${service}.*`}>All {service} actions</option>
                {actions.map((a) => (
                  <option key={a} value={a}>
                    {describeAction(a)} ({a})
                  </option>
                ))}
              </optgroup>
            ))}
          </Select>
        </div>
        <div className="w-56">
          <Input
            aria-label="Actor (email or user id)"
            placeholder="Any actor (email or id)"
            list={actorList}
            value={actor.draft}
            onChange={(e) => actor.setDraft(e.target.value)}
            onKeyDown={(e) => e.key === "Enter" && actor.flush()}
            onBlur={() => actor.flush()}
            data-testid="filter-actor"
          />
          <datalist id={actorList}>
            {(facets.data?.actors ?? []).map((a) => (
              <option key={a.email} value={a.email} />
            ))}
          </datalist>
        </div>
        <div className="w-44">
          <Select
            aria-label="Resource kind"
            value={filters.kind}
            onChange={(e) => onChange({ kind: e.target.value })}
            data-testid="filter-kind"
          >
            <option value="">All resource kinds</option>
            {filters.kind && !kinds.includes(filters.kind) ? (
              <option value={filters.kind}>{filters.kind}</option>
            ) : null}
            {kinds.map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </Select>
        </div>
        <div className="w-44">
          <Select
            aria-label="Project"
            value={filters.project}
            onChange={(e) => onChange({ project: e.target.value })}
            data-testid="filter-project"
          >
            <option value="">All projects</option>
            {filters.project && !projects.data?.items.some((p) => p.slug === filters.project) ? (
              <option value={filters.project}>{filters.project}</option>
            ) : null}
            {(projects.data?.items ?? []).map((p) => (
              <option key={p.id} value={p.slug}>
                {p.name}
              </option>
            ))}
          </Select>
        </div>
        <div className="w-40">
          <Select
            aria-label="Outcome"
            value={filters.outcome}
            onChange={(e) => onChange({ outcome: e.target.value as ActivityFilters["outcome"] })}
            data-testid="filter-outcome"
          >
            <option value="">All outcomes</option>
            <option value="success">Succeeded</option>
            <option value="failure">Failed</option>
            <option value="denied">Denied</option>
          </Select>
        </div>
        {isFiltered(filters) ? (
          <Button
            variant="ghost"
            size="sm"
            icon={<X className="size-4" />}
            onClick={() =>
              onChange({
                q: "",
                action: "",
                actor: "",
                project: "",
                outcome: "",
                kind: "",
                range: "all",
                from: "",
                to: "",
              })
            }
            data-testid="clear-filters"
          >
            Clear filters
          </Button>
        ) : null}
      </div>
    </div>
  );
}
