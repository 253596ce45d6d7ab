"use client";
// The organisation's jobs (those of the projects the reader may see): running ones first.
import { useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { ResourceTable } from "@/components/resources";
import { useTRPC, useTRPCClient } from "@/components/trpc";
import { PageHeader } from "@/components/ui";
import { LiveStatus } from "@/components/audit/live-status";
import { jobKind } from "./job-kind";
import { useLiveJobs } from "./use-live-jobs";

export function OrgJobsView({ org }: { org: string }) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const kinds = useQuery({ ...trpc.jobs.listJobKinds.queryOptions({ org }), staleTime: 60_000 });
  const kind = useMemo(() => jobKind({ withProject: true, kinds: kinds.data ?? [] }), [kinds.data]);
  const live = useLiveJobs({ org });
  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        title="Jobs"
        description="Work in progress across the organisation's projects, running jobs first."
        actions={<LiveStatus state={live.status} error={live.error} onRetry={live.retry} />}
      />
      <ResourceTable
        kind={kind}
        scope={{ org }}
        queryKey={trpc.jobs.listOrgJobs.pathKey()}
        fetchPage={({ q, filters, cursor, limit }) =>
          client.jobs.listOrgJobs.query({
            org,
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
