"use client";
// Quota requests as a resource kind (columns, status filter, approve/reject row actions), for the
// tenant list and the operators' all-organisations list.
import { Check, FileText, X } from "lucide-react";
import Link from "next/link";
import { defineKind, registerKind, type ResourceKind } from "@/components/resources";
import type { RouterOutputs } from "@/components/trpc";
import { RelativeTime } from "@/components/ui";
import { formatAmount, resourceLabel } from "./catalog";
import { PriorityBadge, RequestStatus } from "./request-status";

export type QuotaRequestRow = RouterOutputs["quota"]["listQuotaRequests"]["items"][number];

/** "Instances 20 → 40, vCPUs 40 → 80" */
export function requestSummary(r: Pick<QuotaRequestRow, "resources">): string {
  return r.resources
    .map(
      (x) =>
        `${resourceLabel(x.resource)} ${x.previousLimit.toLocaleString("en")} → ${formatAmount(x.resource, x.limit)}`,
    )
    .join(", ");
}

const scopeName = (r: QuotaRequestRow) => (r.project ? r.project.name : "Organisation");

export function quotaRequestKind(opts: { withOrg: boolean }): ResourceKind<QuotaRequestRow> {
  const kind = defineKind<QuotaRequestRow>({
    id: opts.withOrg ? "ops.quotarequest" : "quota.request",
    label: "Quota request",
    plural: "Quota requests",
    icon: <FileText />,
    getId: (r) => r.id,
    getName: (r) => `${scopeName(r)}: ${requestSummary(r)}`,
    href: (r) => `/${r.org.slug}/quota-requests/${r.id}`,
    getStatus: (r) => r.status,
    searchPlaceholder: "Search descriptions, tags, requesters",
    empty: {
      title: "No quota requests",
      description:
        "When a limit is in the way, request an increase: an admin decides and the new limit applies at once.",
    },
    columns: [
      {
        id: "summary",
        header: "Request",
        hideable: false,
        value: (r) => requestSummary(r),
        cell: (r) => (
          <span className="flex max-w-md flex-col">
            <Link
              href={`/${r.org.slug}/quota-requests/${r.id}`}
              className="truncate font-medium text-foreground hover:text-primary hover:underline"
            >
              {requestSummary(r)}
            </Link>
            <span className="truncate text-xs text-muted-foreground">{r.description}</span>
          </span>
        ),
      },
      ...(opts.withOrg
        ? [{ id: "org", header: "Organisation", value: (r: QuotaRequestRow) => r.org.name }]
        : []),
      {
        id: "scope",
        header: "For",
        value: (r) => (r.project ? `Project ${r.project.name}` : "Organisation"),
      },
      {
        id: "status",
        header: "Status",
        value: (r) => r.status,
        cell: (r) => <RequestStatus status={r.status} />,
      },
      {
        id: "priority",
        header: "Priority",
        value: (r) => r.priority,
        cell: (r) => <PriorityBadge priority={r.priority} />,
      },
      { id: "requester", header: "Requested by", value: (r) => r.requester?.email ?? "(deleted user)" },
      {
        id: "createdAt",
        header: "Requested",
        value: (r) => r.createdAt,
        cell: (r) => <RelativeTime date={r.createdAt} />,
      },
      {
        id: "decidedBy",
        header: "Decided by",
        value: (r) => r.decidedBy?.email ?? "",
        defaultVisible: false,
      },
      { id: "tags", header: "Tags", value: (r) => r.tags.join(", "), defaultVisible: false },
      { id: "id", header: "ID", defaultVisible: false },
    ],
    filters: [
      {
        id: "status",
        label: "Status",
        multiple: false,
        options: [
          { value: "pending", label: "Pending" },
          { value: "approved", label: "Approved" },
          { value: "rejected", label: "Rejected" },
        ],
      },
    ],
    actions: [
      {
        id: "approve",
        label: "Approve",
        icon: <Check />,
        permission: "quota.request.approve",
        placement: "row",
        disabled: (r) => (r.status !== "pending" ? `Already ${r.status}` : null),
        confirm: {
          title: (rows) =>
            `Approve ${rows.length === 1 ? requestSummary(rows[0]!) : `${rows.length} requests`}?`,
          description: () =>
            "The new limits apply at once. Open the request to add a comment for the requester.",
          confirmLabel: "Approve",
        },
        run: (r, { client }) => client.quota.approveQuotaRequest.mutate({ id: r.id }),
      },
      {
        id: "reject",
        label: "Reject",
        icon: <X />,
        tone: "danger",
        permission: "quota.request.approve",
        placement: "row",
        disabled: (r) => (r.status !== "pending" ? `Already ${r.status}` : null),
        confirm: {
          title: (rows) =>
            `Reject ${rows.length === 1 ? requestSummary(rows[0]!) : `${rows.length} requests`}?`,
          description: () => "Open the request instead to tell the requester why.",
          confirmLabel: "Reject",
        },
        run: (r, { client }) => client.quota.rejectQuotaRequest.mutate({ id: r.id }),
      },
    ],
  });
  return registerKind(kind);
}
