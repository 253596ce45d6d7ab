"use client";
// The organisation's Activity Log page: search and filters held in the URL, the events newest
// first with their details, new events live (or behind a pill while paused), export of the
// current view, and the integrity check of the hash chain.
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { TRPCClientError } from "@trpc/client";
import { ArrowUp, Lock, ScrollText, SearchX, ShieldCheck } from "lucide-react";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useMemo, useState } from "react";
import { usePermissions } from "@/components/resources";
import { useTRPC } from "@/components/trpc";
import {
  Button,
  Card,
  EmptyState,
  errorInfo,
  ErrorState,
  PageHeader,
  ProgressBar,
  Skeleton,
  Switch,
} from "@/components/ui";
import { ActivityFiltersBar } from "./activity-filters-bar";
import { ActivityTable } from "./activity-table";
import { ExportButton } from "./export-button";
import {
  EMPTY_FILTERS,
  isFiltered,
  matchesFilters,
  parseFilters,
  rangeIsLive,
  toQueryInput,
  writeFilters,
  type ActivityFilters,
} from "./filters";
import { LiveStatus } from "./live-status";
import { useLiveAudit, type AuditEvent } from "./use-live-audit";
import { useMounted } from "./use-mounted";
import { VerifyDialog } from "./verify-dialog";

const PAGE = 50;

function isForbidden(error: unknown): boolean {
  return (
    error instanceof TRPCClientError && (error.data as { code?: string } | undefined)?.code === "FORBIDDEN"
  );
}

export function ActivityLogView({ org }: { org: string }) {
  // Rendered on the client only: the list, filters and permissions all come from queries.
  const mounted = useMounted();
  if (!mounted) return <ActivityLogSkeleton />;
  return <ActivityLog org={org} />;
}

function ActivityLogSkeleton() {
  return (
    <div className="flex flex-col gap-6" aria-busy="true">
      <PageHeader title="Activity log" description="Loading the organisation's activity…" />
      <Skeleton className="h-9 w-full" />
      <Skeleton className="h-96 w-full" />
    </div>
  );
}

function ActivityLog({ org }: { org: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const perms = usePermissions({ org });
  const filters = useMemo(() => parseFilters(new URLSearchParams(params.toString())), [params]);
  // A preset range ("last 24 hours") counts back from when it was chosen; the refresh button moves it.
  const [anchor, setAnchor] = useState(() => Date.now());
  const [paused, setPaused] = useState(false);
  const [verifying, setVerifying] = useState(false);

  const setFilters = useCallback(
    (patch: Partial<ActivityFilters>) => {
      const current = parseFilters(new URLSearchParams(window.location.search));
      const next = writeFilters(new URLSearchParams(window.location.search), { ...current, ...patch });
      if (patch.range) setAnchor(Date.now());
      const qs = next.toString();
      router.replace(qs ? `${pathname}?${qs}` : pathname, { scroll: false });
    },
    [router, pathname],
  );

  const input = useMemo(() => toQueryInput(filters, anchor), [filters, anchor]);
  const list = useInfiniteQuery(
    trpc.audit.listEvents.infiniteQueryOptions(
      { org, ...input, limit: PAGE },
      {
        getNextPageParam: (last) => last.nextCursor ?? undefined,
        // A search that timed out would only time out again.
        retry: (count, error) =>
          !["UPSTREAM_TIMEOUT", "FORBIDDEN", "NOT_FOUND", "INVALID_INPUT"].includes(
            errorInfo(error).code ?? "",
          ) && count < 2,
      },
    ),
  );

  // The feed replays from the newest event of the first load of this view, so nothing falls
  // between the page and the stream; later reloads do not restart it.
  const inputKey = JSON.stringify(input);
  const [since, setSince] = useState<{ key: string; id: number | null } | null>(null);
  const firstId = list.data?.pages[0]?.items[0]?.id ?? null;
  if (list.isSuccess && since?.key !== inputKey) setSince({ key: inputKey, id: firstId });

  const liveApplies = rangeIsLive(filters);
  const live = useLiveAudit({
    org,
    input,
    since: since?.key === inputKey ? since.id : null,
    enabled: list.isSuccess && since?.key === inputKey && liveApplies,
    paused,
  });

  const listed = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data]);
  const events: AuditEvent[] = useMemo(() => {
    const seen = new Set<number>();
    const out: AuditEvent[] = [];
    for (const e of [...live.fresh.filter((x) => matchesFilters(x, filters)), ...listed]) {
      if (seen.has(e.id)) continue;
      seen.add(e.id);
      out.push(e);
    }
    return out;
  }, [live.fresh, listed, filters]);

  const facets = useQuery({ ...trpc.audit.listFacets.queryOptions({ org }), staleTime: 60_000 });
  const actors = useMemo(
    () => new Map((facets.data?.actors ?? []).flatMap((a) => (a.id ? [[a.id, a.email] as const] : []))),
    [facets.data],
  );
  const filtered = isFiltered(filters);
  const forbidden = isForbidden(list.error);
  const liveState = !liveApplies
    ? "off"
    : paused
      ? "paused"
      : live.status === "off"
        ? "connecting"
        : live.status;

  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        title="Activity log"
        description="Everything done in the organisation: who did what, to which resource, from where, and whether it worked. Events are chained by hash, so changes to the log can be detected."
        actions={
          forbidden ? null : (
            <div className="flex flex-wrap items-center gap-3">
              <div className="flex items-center gap-2">
                <LiveStatus
                  state={liveState}
                  error={live.error}
                  onRetry={live.retry}
                  offReason="The time range ends in the past: new events cannot match it."
                />
                <Switch
                  checked={!paused}
                  onCheckedChange={(on) => {
                    setPaused(!on);
                    if (on) live.showPending();
                  }}
                  disabled={!liveApplies}
                  aria-label="Show new events as they happen"
                />
              </div>
              <ExportButton org={org} input={input as Record<string, string>} />
              {perms.can("audit.event.verify") ? (
                <Button
                  variant="outline"
                  size="sm"
                  icon={<ShieldCheck className="size-4" />}
                  onClick={() => setVerifying(true)}
                  data-testid="verify-integrity"
                >
                  Verify integrity
                </Button>
              ) : null}
            </div>
          )
        }
      />

      {forbidden ? (
        <Card>
          <EmptyState
            icon={<Lock />}
            title="The activity log is for organisation admins and readers"
            description="It shows the whole organisation's activity, so it needs the permission audit.event.list at organisation scope. Ask an organisation admin for the Organisation reader role."
          />
        </Card>
      ) : (
        <>
          <ActivityFiltersBar
            org={org}
            filters={filters}
            onChange={setFilters}
            onRefreshRange={() => setAnchor(Date.now())}
          />

          {live.pending.length > 0 ? (
            <div className="flex justify-center">
              <Button
                size="sm"
                variant="primary"
                icon={<ArrowUp className="size-4" />}
                onClick={live.showPending}
                className="rounded-full shadow-md"
                data-testid="new-events-pill"
              >
                {live.pending.length === 1 ? "1 new event" : `${live.pending.length} new events`}
              </Button>
            </div>
          ) : null}

          <div className="relative">
            {list.isFetching && !list.isPending && !list.isFetchingNextPage ? (
              <ProgressBar
                indeterminate
                value={0}
                label="Refreshing"
                className="absolute inset-x-0 top-0 z-10 h-0.5 rounded-none bg-transparent"
              />
            ) : null}
            {list.isError ? (
              <Card>
                <ErrorState
                  error={list.error}
                  title="Could not load the activity log"
                  onRetry={() => void list.refetch()}
                  retrying={list.isRefetching}
                />
              </Card>
            ) : list.isSuccess && events.length === 0 ? (
              <Card>
                {filtered ? (
                  <EmptyState
                    icon={<SearchX />}
                    title="No events match"
                    description={
                      liveApplies && !paused
                        ? "Change the search or filters to see more. New matching events will appear here as they happen."
                        : "Change the search or filters to see more."
                    }
                    action={
                      <Button variant="outline" size="sm" onClick={() => setFilters(EMPTY_FILTERS)}>
                        Clear filters
                      </Button>
                    }
                  />
                ) : (
                  <EmptyState
                    icon={<ScrollText />}
                    title="No activity yet"
                    description="Changes to projects, people, quotas and resources will be recorded here."
                  />
                )}
              </Card>
            ) : (
              <ActivityTable
                events={events}
                loading={list.isPending}
                flash={live.flash}
                actors={actors}
                onFilter={(patch) => setFilters(patch)}
              />
            )}
          </div>

          {list.isSuccess && events.length > 0 ? (
            <div className="flex flex-wrap items-center justify-between gap-3 text-sm text-muted-foreground">
              <span aria-live="polite" data-testid="activity-count">
                {events.length.toLocaleString("en")} {events.length === 1 ? "event" : "events"}
                {list.hasNextPage ? " loaded, more available" : ""}
              </span>
              {list.hasNextPage ? (
                <Button
                  variant="outline"
                  size="sm"
                  onClick={() => void list.fetchNextPage()}
                  loading={list.isFetchingNextPage}
                >
                  Load older events
                </Button>
              ) : (
                <span>{filtered ? "No older matching events" : "The beginning of the log"}</span>
              )}
            </div>
          ) : null}
        </>
      )}
      <VerifyDialog org={org} open={verifying} onClose={() => setVerifying(false)} />
    </div>
  );
}
