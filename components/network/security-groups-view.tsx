"use client";
// A project's security groups with their rules (read-only): each rule as direction, protocol,
// ports and remote, in words a firewall reader expects.
import { Shield } from "lucide-react";
import { useMemo } from "react";
import type { Scope, SecurityGroup } from "@/components/compute/types";
import { defineKind, ResourceTable } from "@/components/resources";
import { useTRPC, useTRPCClient } from "@/components/trpc";
import { Badge, PageHeader } from "@/components/ui";

type Rule = SecurityGroup["rules"][number];

export function describePorts(r: Pick<Rule, "protocol" | "portRangeMin" | "portRangeMax">): string {
  const proto = r.protocol ? r.protocol.toUpperCase() : "Any protocol";
  if (r.portRangeMin === null && r.portRangeMax === null) return r.protocol ? `${proto} all ports` : proto;
  if (r.protocol === "icmp")
    return `ICMP type ${r.portRangeMin ?? "any"}${r.portRangeMax !== null ? ` code ${r.portRangeMax}` : ""}`;
  if (r.portRangeMin === r.portRangeMax || r.portRangeMax === null) return `${proto} ${r.portRangeMin}`;
  return `${proto} ${r.portRangeMin ?? 0}-${r.portRangeMax}`;
}

export function describeRemote(
  r: Pick<Rule, "remoteIpPrefix" | "remoteGroupId" | "ethertype">,
  groupName: (id: string) => string,
): string {
  if (r.remoteGroupId) return `group ${groupName(r.remoteGroupId)}`;
  if (r.remoteIpPrefix) return r.remoteIpPrefix;
  return r.ethertype === "IPv6" ? "::/0" : "0.0.0.0/0";
}

function Rules({ rules, groupName }: { rules: Rule[]; groupName: (id: string) => string }) {
  if (rules.length === 0)
    return <span className="text-muted-foreground">No rules: everything is refused</span>;
  const sorted = [...rules].sort((a, b) => a.direction.localeCompare(b.direction));
  return (
    <ul className="flex flex-col gap-1 py-1.5" data-testid="sg-rules">
      {sorted.map((r) => (
        <li key={r.id} className="flex flex-wrap items-center gap-x-2 text-xs">
          <Badge
            tone={r.direction === "ingress" ? "info" : "neutral"}
            className="h-4 w-16 justify-center px-1 text-[10px]"
          >
            {r.direction === "ingress" ? "inbound" : "outbound"}
          </Badge>
          <span className="font-mono">{describePorts(r)}</span>
          <span className="text-muted-foreground">
            {r.direction === "ingress" ? "from" : "to"}{" "}
            <span className="font-mono">{describeRemote(r, groupName)}</span>
          </span>
          <span className="text-muted-foreground">{r.ethertype}</span>
        </li>
      ))}
    </ul>
  );
}

export function SecurityGroupsView({ org, project }: Scope) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const scope = useMemo(() => ({ org, project }), [org, project]);
  const kind = useMemo(() => {
    // Rules name remote groups by upstream id: show their names where the list has them.
    const names = new Map<string, string>();
    const groupName = (id: string) => names.get(id) ?? id.slice(0, 8);
    return {
      names,
      kind: defineKind<SecurityGroup>({
        id: "network.securitygroup",
        label: "Security group",
        plural: "Security groups",
        icon: <Shield />,
        getId: (g) => g.id,
        getName: (g) => g.name,
        defaultSort: { id: "name", desc: false },
        searchPlaceholder: "Search security groups",
        empty: {
          title: "No security groups",
          description: "Each project gets a default group in every region.",
        },
        columns: [
          { id: "name", header: "Name", sortable: true, hideable: false },
          {
            id: "description",
            header: "Description",
            cell: (g) => <span className="text-muted-foreground">{g.description || "—"}</span>,
          },
          {
            id: "rules",
            header: "Rules",
            cell: (g) => <Rules rules={g.rules} groupName={groupName} />,
            value: (g) => g.rules.length,
          },
          { id: "region", header: "Region", sortable: true },
          {
            id: "providerId",
            header: "Group ID",
            defaultVisible: false,
            cell: (g) => <span className="font-mono text-xs">{g.providerId}</span>,
          },
        ],
        card: (g) => (
          <div className="flex flex-col gap-1 text-sm">
            <span className="text-muted-foreground">{g.description || g.region}</span>
            <Rules rules={g.rules} groupName={groupName} />
          </div>
        ),
      }),
    };
  }, []);
  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        title="Security groups"
        description="Firewall rules applied to instance interfaces. Traffic a rule does not allow is refused."
        breadcrumbs={[
          { label: project, href: `/${org}/${project}` },
          { label: "Network" },
          { label: "Security groups" },
        ]}
      />
      <ResourceTable
        kind={kind.kind}
        scope={scope}
        clientSide
        queryKey={trpc.network.listSecurityGroups.pathKey()}
        fetchPage={async ({ cursor, limit }) => {
          const page = await client.network.listSecurityGroups.query({
            org,
            project,
            cursor,
            limit: Math.max(limit, 200),
          });
          for (const g of page.items) kind.names.set(g.providerId, g.name);
          return page;
        }}
      />
    </div>
  );
}
