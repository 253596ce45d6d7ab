"use client";
// One instance: header with its state and every action, the job in flight, a lock banner, and
// tabs (overview, volumes, network, monitoring, console, activity, jobs), updated live.
import { useQuery } from "@tanstack/react-query";
import { Lock } from "lucide-react";
import { LiveStatus } from "@/components/audit/live-status";
import { DetailPage } from "@/components/resources";
import { useTRPC } from "@/components/trpc";
import { Alert, Badge } from "@/components/ui";
import { isTransitional } from "@/lib/compute/actions";
import { InstanceActions } from "./instance-actions";
import { InstanceStatus } from "./instance-cells";
import { InstanceJob } from "./instance-job";
import {
  ActivityTab,
  ConsoleTab,
  JobsTab,
  MonitoringTab,
  NetworkTab,
  OverviewTab,
  VolumesTab,
} from "./instance-tabs";
import type { Scope } from "./types";
import { useLiveResources } from "./use-live-resources";

export function InstanceDetailView({ org, project, id }: Scope & { id: string }) {
  const trpc = useTRPC();
  const scope = { org, project };
  const live = useLiveResources({ org, project, kinds: ["instance", "volume", "floating_ip"] });
  const q = useQuery({
    ...trpc.compute.getInstance.queryOptions({ org, project, id }),
    // The live feed refreshes on change; polling is the fallback while it is down and things move.
    refetchInterval: (query) =>
      live.status !== "live" && query.state.data && isTransitional(query.state.data) ? 5000 : false,
  });
  const i = q.data;
  const crumbs = [
    { label: project, href: `/${org}/${project}` },
    { label: "Instances", href: `/${org}/${project}/compute/instances` },
    { label: i?.name ?? "Instance" },
  ];

  return (
    <div className="flex flex-col gap-4">
      <DetailPage
        title={i?.name ?? ""}
        description={i?.description || undefined}
        breadcrumbs={crumbs}
        loading={q.isPending}
        error={q.error}
        onRetry={() => void q.refetch()}
        meta={
          i ? (
            <>
              <InstanceStatus instance={i} inline />
              {i.locked ? (
                <Badge tone="warning" title={i.lockedReason ?? undefined}>
                  <Lock className="size-3" aria-hidden="true" />
                  Locked
                </Badge>
              ) : null}
            </>
          ) : null
        }
        actions={
          i ? (
            <div className="flex flex-wrap items-center gap-3">
              <LiveStatus state={live.status} error={live.error} onRetry={live.retry} />
              <InstanceActions scope={scope} instance={i} />
            </div>
          ) : null
        }
        tabs={
          i
            ? [
                {
                  id: "overview",
                  label: "Overview",
                  content: (
                    <div className="flex flex-col gap-4">
                      {i.locked ? (
                        <Alert tone="warning" title="This instance is locked">
                          {i.lockedReason ? `Reason: ${i.lockedReason}. ` : ""}Every change is refused until
                          someone with the permission unlocks it (Actions → Unlock).
                        </Alert>
                      ) : null}
                      {i.lastJob ? <InstanceJob org={org} jobId={i.lastJob.id} /> : null}
                      {i.status === "ERROR" && i.fault ? (
                        <Alert tone="danger" title="The cloud reports a fault">
                          {i.fault}
                        </Alert>
                      ) : null}
                      <OverviewTab scope={scope} instance={i} />
                    </div>
                  ),
                },
                {
                  id: "volumes",
                  label: "Volumes",
                  count: i.volumes.length,
                  content: <VolumesTab instance={i} />,
                },
                {
                  id: "network",
                  label: "Network",
                  count: i.interfaces.length,
                  content: <NetworkTab instance={i} />,
                },
                {
                  id: "monitoring",
                  label: "Monitoring",
                  content: <MonitoringTab scope={scope} instance={i} />,
                },
                { id: "console", label: "Console", content: <ConsoleTab scope={scope} instance={i} /> },
                { id: "activity", label: "Activity", content: <ActivityTab scope={scope} instance={i} /> },
                { id: "jobs", label: "Jobs", content: <JobsTab scope={scope} instance={i} /> },
              ]
            : []
        }
      />
    </div>
  );
}
