"use client";
// Admin · Quota requests: every organisation's requests (pending first by default filter), with
// approve/reject; an operator's approval raises the organisation's limit when a project needs it.
import { X } from "lucide-react";
import Link from "next/link";
import { usePathname, useSearchParams } from "next/navigation";
import { useMemo } from "react";
import { ResourceTable } from "@/components/resources";
import { quotaRequestKind } from "@/components/quota/quota-request-kind";
import { useTRPC, useTRPCClient } from "@/components/trpc";
import { Badge, PageHeader } from "@/components/ui";
import { OperatorsOnly } from "./operators-only";

export function AllQuotaRequestsView() {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const kind = useMemo(() => quotaRequestKind({ withOrg: true }), []);
  const params = useSearchParams();
  const pathname = usePathname();
  const org = params.get("org") ?? undefined;
  const withoutOrg = () => {
    const next = new URLSearchParams(params.toString());
    next.delete("org");
    const s = next.toString();
    return s ? `${pathname}?${s}` : pathname;
  };
  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        breadcrumbs={[{ label: "Admin" }, { label: "Quota requests" }]}
        title="All quota requests"
        description="Requests of every organisation. Your approval can raise an organisation's limit when a project request needs it; org admins cannot."
        meta={
          org ? (
            <Badge tone="accent">
              Organisation {org}
              <Link href={withoutOrg()} aria-label="Show every organisation" className="ml-0.5 inline-flex">
                <X className="size-3" aria-hidden="true" />
              </Link>
            </Badge>
          ) : null
        }
      />
      <OperatorsOnly>
        <ResourceTable
          kind={kind}
          scope={{}}
          queryKey={[...trpc.ops.listAllQuotaRequests.pathKey(), { org }]}
          fetchPage={({ q, filters, cursor, limit }) =>
            client.ops.listAllQuotaRequests.query({
              q,
              org,
              status: filters.status?.[0] as "pending" | "approved" | "rejected" | undefined,
              cursor,
              limit,
            })
          }
        />
      </OperatorsOnly>
    </div>
  );
}
