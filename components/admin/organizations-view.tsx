"use client";
// Admin · Organisations: every tenant with its status, size, pending requests and quota health;
// create one with its first admin, suspend or reactivate, jump to its quotas.
import { Ban, Building2, RotateCcw } from "lucide-react";
import Link from "next/link";
import { defineKind, registerKind, ResourceTable } from "@/components/resources";
import {
  formatAmount,
  resourceLabel,
  quotaResourceNames,
  type QuotaResource,
} from "@/components/quota/catalog";
import { useTRPC, useTRPCClient, type RouterOutputs } from "@/components/trpc";
import { Badge, PageHeader, RelativeTime, StatusPill } from "@/components/ui";
import { CreateOrganizationButton } from "./create-organization-dialog";
import { OperatorsOnly } from "./operators-only";

type OrgRow = RouterOutputs["ops"]["listOrganizations"]["items"][number];

const healthTone = { ok: "success", warning: "warning", critical: "danger", exhausted: "danger" } as const;
const healthLabel = {
  ok: "Healthy",
  warning: "Above 70 %",
  critical: "Above 90 %",
  exhausted: "Limit reached",
} as const;

/** The resource closest to its limit, to say why an organisation is not healthy. */
function tightest(o: OrgRow): { r: QuotaResource; pct: number } {
  let best: { r: QuotaResource; pct: number } = { r: "instances", pct: 0 };
  for (const r of quotaResourceNames) {
    const pct = o.limits[r] > 0 ? ((o.usage[r] + o.reserved[r]) / o.limits[r]) * 100 : 0;
    if (pct > best.pct) best = { r, pct };
  }
  return best;
}

const organizationKind = registerKind(
  defineKind<OrgRow>({
    id: "ops.organization",
    label: "Organisation",
    plural: "Organisations",
    icon: <Building2 />,
    getId: (o) => o.id,
    getName: (o) => o.name,
    href: (o) => `/${o.slug}/quotas`,
    getStatus: (o) => o.status,
    searchPlaceholder: "Search by name or slug",
    empty: { title: "No organisations yet", description: "Create the first tenant and invite its admin." },
    columns: [
      { id: "name", header: "Name", hideable: false },
      { id: "slug", header: "Slug", cell: (o) => <span className="font-mono text-xs">{o.slug}</span> },
      { id: "status", header: "Status", cell: (o) => <StatusPill status={o.status} /> },
      { id: "projectCount", header: "Projects", align: "right" },
      { id: "memberCount", header: "Members", align: "right" },
      {
        id: "pendingRequests",
        header: "Pending requests",
        align: "right",
        cell: (o) =>
          o.pendingRequests > 0 ? (
            <Link
              href={`/admin/quota-requests?f.status=pending&org=${o.slug}`}
              className="font-medium text-primary hover:underline"
            >
              {o.pendingRequests}
            </Link>
          ) : (
            <span className="text-muted-foreground">0</span>
          ),
      },
      {
        id: "worstHealth",
        header: "Quota health",
        value: (o) => o.worstHealth,
        cell: (o) => {
          const t = tightest(o);
          return (
            <span className="flex items-center gap-2">
              <Badge tone={healthTone[o.worstHealth]}>{healthLabel[o.worstHealth]}</Badge>
              {t.pct > 0 ? (
                <span className="text-xs text-muted-foreground">
                  {resourceLabel(t.r)} {formatAmount(t.r, o.usage[t.r] + o.reserved[t.r])} of{" "}
                  {formatAmount(t.r, o.limits[t.r])}
                </span>
              ) : null}
            </span>
          );
        },
      },
      {
        id: "instances",
        header: "Instances",
        align: "right",
        value: (o) => `${o.usage.instances}/${o.limits.instances}`,
        defaultVisible: false,
      },
      {
        id: "createdAt",
        header: "Created",
        value: (o) => o.createdAt,
        cell: (o) => <RelativeTime date={o.createdAt} />,
      },
      { id: "id", header: "ID", defaultVisible: false },
    ],
    filters: [
      {
        id: "status",
        label: "Status",
        multiple: false,
        options: [
          { value: "active", label: "Active" },
          { value: "suspended", label: "Suspended" },
        ],
      },
    ],
    actions: [
      {
        id: "suspend",
        label: "Suspend",
        icon: <Ban />,
        tone: "danger",
        permission: "platform.organization.update",
        placement: "both",
        disabled: (o) => (o.status === "suspended" ? "Already suspended" : null),
        confirm: {
          title: (rows) => `Suspend ${rows.length === 1 ? rows[0]!.name : `${rows.length} organisations`}?`,
          description: () =>
            "Their members are refused from their next request until it is reactivated. Resources keep running; nothing is deleted.",
          confirmLabel: "Suspend",
          typed: true,
        },
        run: (o, { client }) => client.ops.updateOrganization.mutate({ org: o.id, status: "suspended" }),
      },
      {
        id: "reactivate",
        label: "Reactivate",
        icon: <RotateCcw />,
        permission: "platform.organization.update",
        placement: "both",
        disabled: (o) => (o.status === "active" ? "Already active" : null),
        run: (o, { client }) => client.ops.updateOrganization.mutate({ org: o.id, status: "active" }),
      },
    ],
  }),
);

export function OrganizationsView() {
  const trpc = useTRPC();
  const client = useTRPCClient();
  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        breadcrumbs={[{ label: "Admin" }, { label: "Organisations" }]}
        title="Organisations"
        description="Every tenant of the cloud: its size, its quota health and its pending quota requests."
      />
      <OperatorsOnly>
        <ResourceTable
          kind={organizationKind}
          scope={{}}
          queryKey={trpc.ops.listOrganizations.pathKey()}
          fetchPage={({ q, filters, cursor, limit }) =>
            client.ops.listOrganizations.query({
              q,
              status: filters.status?.[0] as "active" | "suspended" | undefined,
              cursor,
              limit,
            })
          }
          toolbar={<CreateOrganizationButton />}
          emptyAction={<CreateOrganizationButton />}
        />
      </OperatorsOnly>
    </div>
  );
}
