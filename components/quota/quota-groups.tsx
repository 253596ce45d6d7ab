"use client";
// Usage against limits per service (Compute, Storage, Network...), one bar per resource coloured
// by health. Pages add an editor beside each bar (`aside`) or a note under it (`note`).
import type { ReactNode } from "react";
import { Badge, Card, CardContent, CardHeader, QuotaBar, quotaHealth, Skeleton } from "@/components/ui";
import { resourceLabel, resourceUnit, serviceGroups, type QuotaResource } from "./catalog";

export interface Figures {
  limits: Record<QuotaResource, number>;
  usage: Record<QuotaResource, number>;
  reserved: Record<QuotaResource, number>;
}

export function QuotaGroups({
  figures,
  aside,
  note,
}: {
  figures: Figures;
  aside?: (r: QuotaResource) => ReactNode;
  note?: (r: QuotaResource) => ReactNode;
}) {
  return (
    // Columns rather than a grid: cards of different heights stack without gaps (masonry).
    <div className="columns-1 gap-6 xl:columns-2 [&>*]:mb-6 [&>*]:break-inside-avoid">
      {serviceGroups.map((g) => {
        const attention = g.resources.filter((r) => {
          const h = quotaHealth(figures.usage[r] + figures.reserved[r], figures.limits[r]);
          return h === "critical" || h === "full";
        }).length;
        return (
          <Card key={g.service} data-testid={`quota-group-${g.service.toLowerCase()}`}>
            <CardHeader
              title={g.service}
              actions={
                attention > 0 ? (
                  <Badge tone="danger">
                    {attention === 1 ? "1 needs action" : `${attention} need action`}
                  </Badge>
                ) : null
              }
            />
            <CardContent className="flex flex-col gap-5">
              {g.resources.map((r) => {
                const extra = note?.(r);
                return (
                  <div key={r} className="flex flex-col gap-1" data-testid={`quota-${r}`}>
                    <div className="flex items-start gap-4">
                      <QuotaBar
                        className="min-w-0 flex-1"
                        label={resourceLabel(r)}
                        used={figures.usage[r]}
                        pending={figures.reserved[r]}
                        limit={figures.limits[r]}
                        unit={resourceUnit(r) || undefined}
                      />
                      {aside ? <div className="w-36 shrink-0">{aside(r)}</div> : null}
                    </div>
                    {extra ? <div className="text-xs text-muted-foreground">{extra}</div> : null}
                  </div>
                );
              })}
            </CardContent>
          </Card>
        );
      })}
    </div>
  );
}

/** Resources at or over 90 % (reservations included), worst first. */
export function needingAction(figures: Figures): { resource: QuotaResource; full: boolean }[] {
  return serviceGroups
    .flatMap((g) => g.resources)
    .map((r) => ({ r, h: quotaHealth(figures.usage[r] + figures.reserved[r], figures.limits[r]) }))
    .filter(({ h }) => h === "critical" || h === "full")
    .sort((a, b) => (a.h === b.h ? 0 : a.h === "full" ? -1 : 1))
    .map(({ r, h }) => ({ resource: r, full: h === "full" }));
}

export function QuotaGroupsSkeleton() {
  return (
    <div
      className="columns-1 gap-6 xl:columns-2 [&>*]:mb-6 [&>*]:break-inside-avoid"
      aria-busy="true"
      aria-label="Loading quotas"
    >
      {serviceGroups.slice(0, 4).map((g) => (
        <Card key={g.service}>
          <CardHeader title={g.service} />
          <CardContent className="flex flex-col gap-5">
            {g.resources.slice(0, 3).map((r) => (
              <div key={r} className="flex flex-col gap-1.5">
                <Skeleton className="h-5 w-1/3" />
                <Skeleton className="h-2 w-full rounded-full" />
              </div>
            ))}
          </CardContent>
        </Card>
      ))}
    </div>
  );
}
