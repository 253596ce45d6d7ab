"use client";
// Quota Requests page: the organisation's requests (those the caller may see), filterable by
// status, with approve/reject for approvers and "New request" for members.
import { Plus } from "lucide-react";
import Link from "next/link";
import { useMemo } from "react";
import { ResourceTable } from "@/components/resources";
import { useTRPC, useTRPCClient } from "@/components/trpc";
import { buttonClasses, PageHeader } from "@/components/ui";
import { quotaRequestKind } from "./quota-request-kind";
import { useCanRequest } from "./use-can-request";

export function QuotaRequestsView({ org }: { org: string }) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const canRequest = useCanRequest(org);
  const kind = useMemo(() => quotaRequestKind({ withOrg: false }), []);
  const newButton = (
    <Link href={`/${org}/quota-requests/new`} className={buttonClasses({ variant: "primary", size: "sm" })}>
      <Plus className="size-4" aria-hidden="true" />
      New request
    </Link>
  );
  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        title="Quota requests"
        description="Increases asked for projects and the organisation. Org admins decide project requests within the organisation's limits; cloud operators decide the rest."
        actions={canRequest ? newButton : null}
      />
      <ResourceTable
        kind={kind}
        scope={{ org }}
        queryKey={trpc.quota.listQuotaRequests.pathKey()}
        fetchPage={({ q, filters, cursor, limit }) =>
          client.quota.listQuotaRequests.query({
            org,
            q,
            status: filters.status?.[0] as "pending" | "approved" | "rejected" | undefined,
            cursor,
            limit,
          })
        }
        emptyAction={canRequest ? newButton : undefined}
      />
    </div>
  );
}
