"use client";
// Per-project breakdown of an organisation's quotas: one row per project, one column per resource
// of the chosen service, each cell its usage against the project's limit.
import Link from "next/link";
import { useState } from "react";
import {
  Card,
  CardHeader,
  EmptyState,
  healthBar,
  healthText,
  ProgressBar,
  quotaHealth,
  StatusPill,
  Tabs,
} from "@/components/ui";
import { cn } from "@/components/ui/cn";
import { formatAmount, resourceLabel, serviceGroups, type QuotaResource } from "./catalog";
import type { Figures } from "./quota-groups";

export interface ProjectRow extends Figures {
  id: string;
  slug: string;
  name: string;
  status: string;
}

function Cell({ figures, r }: { figures: Figures; r: QuotaResource }) {
  const used = figures.usage[r] + figures.reserved[r];
  const limit = figures.limits[r];
  const h = quotaHealth(used, limit);
  return (
    <div className="flex min-w-28 flex-col gap-1">
      <span className="text-xs text-muted-foreground tabular-nums">
        <span className={cn("font-medium", healthText[h])}>{used.toLocaleString("en")}</span> /{" "}
        {formatAmount(r, limit)}
      </span>
      <ProgressBar
        value={used}
        max={Math.max(limit, 1)}
        label={`${resourceLabel(r)}: ${used} of ${limit}`}
        barClassName={healthBar[h]}
        className="h-1.5"
      />
    </div>
  );
}

export function ProjectBreakdown({ org, projects }: { org: string; projects: ProjectRow[] }) {
  const [service, setService] = useState(serviceGroups[0]!.service);
  const group = serviceGroups.find((g) => g.service === service) ?? serviceGroups[0]!;
  return (
    <Card>
      <CardHeader
        title="By project"
        description="Each project's share of the organisation's limits and what it uses of it."
      />
      <div className="px-5 pt-2">
        <Tabs
          aria-label="Service"
          items={serviceGroups.map((g) => ({ id: g.service, label: g.service }))}
          value={group.service}
          onValueChange={setService}
        />
      </div>
      {projects.length === 0 ? (
        <EmptyState
          compact
          title="No projects yet"
          description="Project limits appear here once projects exist."
        />
      ) : (
        <div
          className="overflow-x-auto"
          role="tabpanel"
          id={`tabpanel-${group.service}`}
          aria-labelledby={`tab-${group.service}`}
        >
          <table className="w-full text-sm">
            <thead>
              <tr className="border-b border-border text-left text-xs text-muted-foreground">
                <th scope="col" className="px-5 py-2.5 font-medium">
                  Project
                </th>
                {group.resources.map((r) => (
                  <th key={r} scope="col" className="px-3 py-2.5 font-medium last:pr-5">
                    {resourceLabel(r)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {projects.map((p) => (
                <tr key={p.id} className="border-b border-border last:border-0 hover:bg-surface-muted/40">
                  <th scope="row" className="px-5 py-3 text-left font-medium">
                    <div className="flex items-center gap-2">
                      <Link href={`/${org}/${p.slug}/quotas`} className="text-primary hover:underline">
                        {p.name}
                      </Link>
                      {p.status !== "active" ? <StatusPill status={p.status} /> : null}
                    </div>
                  </th>
                  {group.resources.map((r) => (
                    <td key={r} className="px-3 py-3 align-top last:pr-5">
                      <Cell figures={p} r={r} />
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}
