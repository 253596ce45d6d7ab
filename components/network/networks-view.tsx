"use client";
// A project's networks with their subnets (read-only): the default VPC network of each region is
// marked, external networks are the floating IP pools.
import { useQuery } from "@tanstack/react-query";
import { Network } from "lucide-react";
import { useMemo } from "react";
import type { NetworkRow, Scope, Subnet } from "@/components/compute/types";
import { defineKind, ResourceTable } from "@/components/resources";
import { useTRPC, useTRPCClient } from "@/components/trpc";
import { Badge, PageHeader, StatusPill } from "@/components/ui";

function Subnets({ subnets }: { subnets: Subnet[] | undefined }) {
  if (!subnets) return <span className="text-muted-foreground">…</span>;
  if (subnets.length === 0) return <span className="text-muted-foreground">None</span>;
  return (
    <ul className="flex flex-col gap-1 py-1.5">
      {subnets.map((s) => (
        <li key={s.id} className="flex flex-wrap items-center gap-x-2 text-xs">
          <span className="font-medium">{s.name || "(unnamed)"}</span>
          <span className="font-mono">{s.cidr}</span>
          {s.gatewayIp ? <span className="text-muted-foreground">gw {s.gatewayIp}</span> : null}
          <span className="text-muted-foreground">IPv{s.ipVersion}</span>
          {s.isDefault ? (
            <Badge tone="info" className="h-4 px-1 text-[10px]">
              default
            </Badge>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

function networkKind(subnetsOf: (n: NetworkRow) => Subnet[] | undefined) {
  return defineKind<NetworkRow>({
    id: "network.network",
    label: "Network",
    plural: "Networks",
    icon: <Network />,
    getId: (n) => n.id,
    getName: (n) => n.name,
    getStatus: (n) => n.status,
    defaultSort: { id: "name", desc: false },
    searchPlaceholder: "Search networks",
    empty: {
      title: "No networks",
      description: "The project's default network is created with the project in each region.",
    },
    columns: [
      {
        id: "name",
        header: "Name",
        sortable: true,
        hideable: false,
        cell: (n) => (
          <span className="flex flex-wrap items-center gap-1.5">
            <span className="font-medium">{n.name}</span>
            {n.isDefault ? <Badge tone="info">default</Badge> : null}
            {n.external ? <Badge tone="accent">external</Badge> : null}
            {n.shared ? <Badge>shared</Badge> : null}
          </span>
        ),
        value: (n) => n.name,
      },
      {
        id: "status",
        header: "Status",
        cell: (n) => <StatusPill status={n.status} />,
        value: (n) => n.status,
      },
      {
        id: "subnets",
        header: "Subnets",
        cell: (n) => <Subnets subnets={subnetsOf(n)} />,
        value: (n) => (subnetsOf(n) ?? []).map((s) => `${s.name} ${s.cidr}`).join("; "),
      },
      { id: "region", header: "Region", sortable: true },
      {
        id: "providerId",
        header: "Network ID",
        defaultVisible: false,
        cell: (n) => <span className="font-mono text-xs">{n.providerId}</span>,
      },
    ],
    filters: [
      {
        id: "type",
        label: "Type",
        options: [
          { value: "default", label: "Default" },
          { value: "external", label: "External" },
          { value: "project", label: "Project" },
        ],
        match: (n, v) =>
          v.some((x) =>
            x === "default" ? n.isDefault : x === "external" ? n.external : !n.external && !n.shared,
          ),
      },
    ],
    card: (n) => (
      <div className="flex flex-col gap-1 text-sm">
        <span className="text-muted-foreground">{n.region}</span>
        <Subnets subnets={subnetsOf(n)} />
      </div>
    ),
  });
}

export function NetworksView({ org, project }: Scope) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const subnets = useQuery(trpc.network.listSubnets.queryOptions({ org, project, limit: 500 }));
  const kind = useMemo(() => {
    const byNetwork = new Map<string, Subnet[]>();
    for (const s of subnets.data?.items ?? [])
      byNetwork.set(s.networkId, [...(byNetwork.get(s.networkId) ?? []), s]);
    const loaded = subnets.isSuccess;
    return networkKind((n) => (loaded ? (byNetwork.get(n.providerId) ?? []) : undefined));
  }, [subnets.data, subnets.isSuccess]);
  const scope = useMemo(() => ({ org, project }), [org, project]);
  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        title="Networks"
        description="The project's private networks and their subnets. Instances get their fixed IPs from a subnet."
        breadcrumbs={[
          { label: project, href: `/${org}/${project}` },
          { label: "Network" },
          { label: "Networks" },
        ]}
      />
      <ResourceTable
        kind={kind}
        scope={scope}
        clientSide
        queryKey={trpc.network.listNetworks.pathKey()}
        fetchPage={({ cursor, limit }) =>
          client.network.listNetworks.query({ org, project, cursor, limit: Math.max(limit, 200) })
        }
      />
    </div>
  );
}
