"use client";
// The tabs of an instance's page. Overview, Volumes and Network render the detail answer;
// Monitoring, Console, Activity and Jobs load their own data when opened.
import { useInfiniteQuery, useMutation, useQuery } from "@tanstack/react-query";
import {
  ExternalLink,
  HardDrive,
  Network,
  Pencil,
  RefreshCw,
  ScrollText,
  Activity as ActivityIcon,
} from "lucide-react";
import Link from "next/link";
import { useMemo, useState } from "react";
import { actionRefusal } from "@/lib/compute/actions";
import { describeAction } from "@/components/audit/filters";
import { jobKind } from "@/components/jobs/job-kind";
import { useLiveJobs } from "@/components/jobs/use-live-jobs";
import { ResourceTable, usePermissions } from "@/components/resources";
import { useTRPC, useTRPCClient } from "@/components/trpc";
import {
  Badge,
  Button,
  Card,
  CardContent,
  CardHeader,
  EmptyState,
  ErrorState,
  KeyValueList,
  RelativeTime,
  Select,
  Skeleton,
  SkeletonText,
  Tooltip,
  cn,
  formatDateTime,
  toast,
} from "@/components/ui";
import { flavorShape, formatRam } from "./format";
import { LabelList } from "./instance-cells";
import { EditLabelsDialog } from "./labels-dialog";
import { LineChart } from "./metrics-chart";
import type { InstanceDetail, Metric, MetricName, MetricRange, Scope } from "./types";

type TabProps = { scope: Scope; instance: InstanceDetail };

const mono = (v: string | null | undefined) => (v ? <span className="font-mono text-xs">{v}</span> : "—");

export function OverviewTab({ scope, instance: i }: TabProps) {
  const perms = usePermissions(scope);
  const [editing, setEditing] = useState(false);
  const canEdit = !perms.ready || perms.can("compute.instance.update");
  return (
    <div className="grid items-start gap-4 lg:grid-cols-3">
      <Card className="lg:col-span-2">
        <CardHeader title="Configuration" titleAs="h2" />
        <CardContent>
          <KeyValueList
            columns={2}
            items={[
              {
                label: "Flavor",
                value: i.flavor
                  ? `${i.flavor.name} · ${flavorShape(i.flavor)}${i.flavor.diskGb ? ` · ${i.flavor.diskGb} GB disk` : ""}`
                  : "—",
              },
              { label: "Image", value: i.image?.name ?? "—" },
              { label: "Boot disk", value: i.bootFromVolume ? "Volume" : "Local disk" },
              { label: "Key pair", value: i.keyName ?? "None" },
              { label: "Region", value: i.region },
              { label: "Availability zone", value: i.availabilityZone ?? "—" },
              {
                label: "Private IPs",
                value: i.privateIps.length ? mono(i.privateIps.join(", ")) : "—",
                copy: i.privateIps[0],
              },
              {
                label: "Elastic IPs",
                value: i.floatingIps.length ? mono(i.floatingIps.join(", ")) : "None",
                copy: i.floatingIps[0],
              },
              { label: "Security groups", value: i.securityGroups.join(", ") || "None" },
              { label: "User data", value: i.userDataPresent ? "Provided at creation" : "None" },
            ]}
          />
        </CardContent>
      </Card>
      <div className="flex flex-col gap-4">
        <Card>
          <CardHeader
            title="Labels"
            titleAs="h2"
            actions={
              <Tooltip content={canEdit ? "Edit labels" : "Requires the permission compute.instance.update"}>
                <Button
                  variant="ghost"
                  size="icon-sm"
                  aria-label="Edit labels"
                  disabled={!canEdit}
                  onClick={() => setEditing(true)}
                >
                  <Pencil className="size-4" />
                </Button>
              </Tooltip>
            }
          />
          <CardContent>
            <LabelList labels={i.labels} max={5} />
          </CardContent>
        </Card>
        <Card>
          <CardHeader title="Identifiers" titleAs="h2" />
          <CardContent>
            <KeyValueList
              items={[
                { label: "ID", value: mono(i.id), copy: i.id },
                { label: "Server ID", value: mono(i.providerId), copy: i.providerId ?? undefined },
                { label: "Created", value: <RelativeTime date={i.createdAt} /> },
                { label: "Observed", value: i.observedAt ? <RelativeTime date={i.observedAt} /> : "Not yet" },
              ]}
            />
          </CardContent>
        </Card>
      </div>
      <EditLabelsDialog scope={scope} instance={i} open={editing} onClose={() => setEditing(false)} />
    </div>
  );
}

function Table({ head, children, testId }: { head: string[]; children: React.ReactNode; testId?: string }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-border bg-surface shadow-xs">
      <table className="w-full text-sm" data-testid={testId}>
        <thead className="bg-surface-muted/60">
          <tr className="border-b border-border">
            {head.map((h) => (
              <th
                key={h}
                scope="col"
                className="h-10 px-3 text-left text-xs font-medium whitespace-nowrap text-muted-foreground"
              >
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

const td = "h-12 border-b border-border px-3 align-middle [tr:last-child>&]:border-0";

export function VolumesTab({ instance: i }: { instance: InstanceDetail }) {
  if (i.volumes.length === 0)
    return (
      <div>
        <EmptyState
          icon={<HardDrive />}
          title="No volumes attached"
          description={`${i.name} boots from its local disk. Attach a volume from the Actions menu.`}
        />
      </div>
    );
  return (
    <div>
      <Table head={["Name", "Size", "Type", "Device", "Role", "On delete"]} testId="instance-volumes">
        {i.volumes.map((v) => (
          <tr key={v.providerId}>
            <td className={td}>
              <span className="flex flex-col">
                <span className="font-medium">{v.name || "(unnamed)"}</span>
                <span className="font-mono text-xs text-muted-foreground">{v.providerId}</span>
              </span>
            </td>
            <td className={cn(td, "tabular-nums")}>{v.sizeGb ? `${v.sizeGb} GB` : "—"}</td>
            <td className={td}>{v.volumeType ?? "default"}</td>
            <td className={cn(td, "font-mono text-xs")}>{v.device ?? "—"}</td>
            <td className={td}>{v.boot ? <Badge tone="info">Boot</Badge> : <Badge>Data</Badge>}</td>
            <td className={cn(td, "text-muted-foreground")}>
              {v.deleteOnTermination ? "Deleted with the instance" : "Kept"}
            </td>
          </tr>
        ))}
      </Table>
    </div>
  );
}

export function NetworkTab({ instance: i }: { instance: InstanceDetail }) {
  return (
    <div className="flex flex-col gap-6">
      <section className="flex flex-col gap-2" aria-labelledby="interfaces-title">
        <h2 id="interfaces-title" className="text-sm font-semibold">
          Interfaces
        </h2>
        {i.interfaces.length === 0 ? (
          <EmptyState
            compact
            icon={<Network />}
            title="No interfaces"
            description="The instance has no network port yet."
          />
        ) : (
          <Table
            head={["Network", "Fixed IPs", "Elastic IPs", "MAC address", "Port"]}
            testId="instance-interfaces"
          >
            {i.interfaces.map((n) => (
              <tr key={n.portId}>
                <td className={cn(td, "font-medium")}>{n.networkName ?? n.networkId ?? "—"}</td>
                <td className={cn(td, "font-mono text-xs")}>
                  {n.fixedIps.map((f) => f.ip).join(", ") || "—"}
                </td>
                <td className={cn(td, "font-mono text-xs")}>
                  {n.floatingIps.map((f) => f.ip).join(", ") || "—"}
                </td>
                <td className={cn(td, "font-mono text-xs")}>{n.macAddress ?? "—"}</td>
                <td className={cn(td, "font-mono text-xs text-muted-foreground")}>{n.portId}</td>
              </tr>
            ))}
          </Table>
        )}
      </section>
      <section className="flex flex-col gap-2" aria-labelledby="sg-title">
        <h2 id="sg-title" className="text-sm font-semibold">
          Security groups
        </h2>
        {i.securityGroupDetails.length === 0 ? (
          <p className="text-sm text-muted-foreground">None: all traffic to the instance is refused.</p>
        ) : (
          <div className="flex flex-wrap gap-2">
            {i.securityGroupDetails.map((g) => (
              <Badge key={g.id ?? g.name} tone="accent" title={g.id ?? undefined}>
                {g.name}
              </Badge>
            ))}
          </div>
        )}
      </section>
    </div>
  );
}

const RANGES: { value: MetricRange; label: string }[] = [
  { value: "1h", label: "Last hour" },
  { value: "6h", label: "Last 6 hours" },
  { value: "24h", label: "Last 24 hours" },
  { value: "7d", label: "Last 7 days" },
];

const CHARTS: { metric: MetricName; title: string; max?: number }[] = [
  { metric: "cpu", title: "CPU" },
  { metric: "memory", title: "Memory" },
  { metric: "network_in", title: "Network in" },
  { metric: "network_out", title: "Network out" },
  { metric: "disk_read", title: "Disk read" },
  { metric: "disk_write", title: "Disk write" },
];

export function MonitoringTab({ scope, instance: i }: TabProps) {
  const trpc = useTRPC();
  const [range, setRange] = useState<MetricRange>("1h");
  const q = useQuery({
    ...trpc.compute.getInstanceMetrics.queryOptions({ ...scope, id: i.id, range }),
    refetchInterval: range === "1h" ? 30_000 : 120_000,
    placeholderData: (prev) => prev,
  });
  const metrics: Metric[] = q.data?.metrics ?? [];
  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <p className="text-sm text-muted-foreground">
          {i.flavor ? `${i.flavor.vcpus} vCPU · ${formatRam(i.flavor.ramMb)}. ` : ""}Samples from the
          region&apos;s monitoring.
        </p>
        <div className="flex items-center gap-2">
          {q.isFetching && !q.isPending ? (
            <span className="text-xs text-muted-foreground">Refreshing…</span>
          ) : null}
          <Select
            aria-label="Time range"
            className="w-44"
            value={range}
            onChange={(e) => setRange(e.target.value as MetricRange)}
            options={RANGES}
          />
        </div>
      </div>
      {q.isError ? (
        <ErrorState
          error={q.error}
          title="Monitoring is unavailable"
          onRetry={() => void q.refetch()}
          retrying={q.isFetching}
        />
      ) : (
        <div className="grid gap-4 md:grid-cols-2 xl:grid-cols-3" data-testid="instance-charts">
          {CHARTS.map((c) => {
            const m = metrics.find((x) => x.metric === c.metric);
            if (q.isPending) return <Skeleton key={c.metric} className="h-52" />;
            const percent = m?.unit === "%" || m?.unit === "percent";
            return (
              <LineChart
                key={c.metric}
                title={c.title}
                unit={m?.unit ?? ""}
                series={m?.series ?? []}
                fixedMax={percent ? 100 : undefined}
              />
            );
          })}
        </div>
      )}
    </div>
  );
}

const LINE_CHOICES = [50, 200, 1000].map((n) => ({ value: String(n), label: `Last ${n} lines` }));

export function ConsoleTab({ scope, instance: i }: TabProps) {
  const trpc = useTRPC();
  const perms = usePermissions(scope);
  const [lines, setLines] = useState(200);
  const logRefusal = actionRefusal(i, "consoleLog");
  const consoleRefusal =
    perms.ready && !perms.can("compute.instance.action")
      ? "Requires the permission compute.instance.action"
      : actionRefusal(i, "console");
  const log = useQuery({
    ...trpc.compute.getInstanceConsoleLog.queryOptions({ ...scope, id: i.id, lines }),
    enabled: !logRefusal,
  });
  const open = useMutation(
    trpc.compute.getInstanceConsole.mutationOptions({
      onSuccess: (c) => {
        window.open(c.url, "_blank", "noopener,noreferrer");
      },
      onError: (e) => toast.error("The console did not open", e),
    }),
  );
  return (
    <div className="flex flex-col gap-4">
      <Card>
        <CardContent className="flex flex-wrap items-center justify-between gap-4">
          <div>
            <h2 className="text-sm font-semibold">Remote console</h2>
            <p className="text-sm text-muted-foreground">
              The instance&apos;s screen and keyboard in a new tab (a short-lived link from the cloud).
            </p>
          </div>
          <Tooltip content={consoleRefusal ?? "Opens in a new tab"}>
            <Button
              icon={<ExternalLink />}
              disabled={Boolean(consoleRefusal)}
              loading={open.isPending}
              onClick={() => open.mutate({ ...scope, id: i.id })}
              data-testid="open-console"
            >
              Open console
            </Button>
          </Tooltip>
        </CardContent>
      </Card>
      <section className="flex flex-col gap-2" aria-labelledby="console-log-title">
        <div className="flex flex-wrap items-center justify-between gap-2">
          <h2 id="console-log-title" className="text-sm font-semibold">
            Console log
          </h2>
          <div className="flex items-center gap-2">
            <Select
              aria-label="Lines"
              className="w-40"
              value={String(lines)}
              onChange={(e) => setLines(Number(e.target.value))}
              options={LINE_CHOICES}
            />
            <Button
              variant="outline"
              size="sm"
              icon={<RefreshCw />}
              loading={log.isFetching}
              disabled={Boolean(logRefusal)}
              onClick={() => void log.refetch()}
            >
              Refresh
            </Button>
          </div>
        </div>
        {logRefusal ? (
          <EmptyState compact icon={<ScrollText />} title="No console log now" description={logRefusal} />
        ) : log.isPending ? (
          <Skeleton className="h-80" />
        ) : log.isError ? (
          <ErrorState error={log.error} compact onRetry={() => void log.refetch()} />
        ) : log.data.output.trim() ? (
          <pre
            className="max-h-[32rem] overflow-auto rounded-lg border border-border bg-slate-950 p-4 font-mono text-xs leading-relaxed whitespace-pre-wrap text-slate-100"
            data-testid="console-log"
            tabIndex={0}
            aria-label="Console log"
          >
            {log.data.output}
          </pre>
        ) : (
          <EmptyState
            compact
            icon={<ScrollText />}
            title="The console log is empty"
            description="The instance has not written to its serial console yet."
          />
        )}
        {log.data ? <p className="text-xs text-muted-foreground">{log.data.lines} lines</p> : null}
      </section>
    </div>
  );
}

const PAGE = 25;

export function ActivityTab({ scope, instance: i }: TabProps) {
  const trpc = useTRPC();
  const list = useInfiniteQuery(
    trpc.audit.listEvents.infiniteQueryOptions(
      { org: scope.org, project: scope.project, targetKind: "instance", targetId: i.id, limit: PAGE },
      { getNextPageParam: (last) => last.nextCursor ?? undefined },
    ),
  );
  const events = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data]);
  if (list.isPending)
    return (
      <div>
        <SkeletonText lines={6} />
      </div>
    );
  if (list.isError)
    return (
      <div>
        <ErrorState error={list.error} onRetry={() => void list.refetch()} />
      </div>
    );
  if (events.length === 0)
    return (
      <div>
        <EmptyState
          icon={<ActivityIcon />}
          title="No activity yet"
          description="Changes to this instance, by people and by Cirrus, are recorded here."
        />
      </div>
    );
  return (
    <div className="flex flex-col gap-3">
      <Table head={["Time", "Actor", "Action", "Outcome", "Message"]} testId="instance-activity">
        {events.map((e) => (
          <tr key={e.id}>
            <td className={cn(td, "whitespace-nowrap")}>
              <span title={formatDateTime(e.createdAt)}>
                <RelativeTime date={e.createdAt} />
              </span>
            </td>
            <td className={td}>
              {e.actor.email ?? (e.actor.type === "system" ? "Cirrus (system)" : e.actor.type)}
            </td>
            <td className={td} title={e.action}>
              {describeAction(e.action)}
            </td>
            <td className={td}>
              <Badge
                tone={e.outcome === "success" ? "success" : e.outcome === "denied" ? "warning" : "danger"}
              >
                {e.outcome === "success" ? "Success" : e.outcome === "denied" ? "Denied" : "Failed"}
              </Badge>
            </td>
            <td className={cn(td, "max-w-96 truncate text-muted-foreground")} title={e.message ?? undefined}>
              {e.message ?? "—"}
            </td>
          </tr>
        ))}
      </Table>
      <div className="flex items-center justify-between">
        <Link href={`/${scope.org}/activity`} className="text-sm text-primary hover:underline">
          Open the activity log
        </Link>
        {list.hasNextPage ? (
          <Button
            variant="outline"
            size="sm"
            loading={list.isFetchingNextPage}
            onClick={() => void list.fetchNextPage()}
          >
            Load more
          </Button>
        ) : null}
      </div>
    </div>
  );
}

export function JobsTab({ scope, instance: i }: TabProps) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const kinds = useQuery({ ...trpc.jobs.listJobKinds.queryOptions({ org: scope.org }), staleTime: 60_000 });
  const kind = useMemo(() => jobKind({ withProject: false, kinds: kinds.data ?? [] }), [kinds.data]);
  useLiveJobs({ org: scope.org, project: scope.project });
  return (
    <div>
      <ResourceTable
        kind={kind}
        scope={scope}
        urlPrefix="jobs."
        savedViews={false}
        queryKey={[...trpc.jobs.listProjectJobs.pathKey(), i.id]}
        fetchPage={({ q, filters, cursor, limit }) =>
          client.jobs.listProjectJobs.query({
            ...scope,
            targetId: i.id,
            q,
            state: filters.state?.length ? filters.state.join(",") : undefined,
            kind: filters.kind?.[0],
            cursor,
            limit,
          })
        }
      />
    </div>
  );
}
