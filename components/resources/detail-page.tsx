"use client";
// The layout of a resource's detail page: header (breadcrumbs, name, status, actions) and tabs
// held in the URL (?tab=), so a tab can be linked and survives reload.
import { usePathname, useSearchParams } from "next/navigation";
import type { ReactNode } from "react";
import {
  ErrorState,
  PageHeader,
  Skeleton,
  SkeletonText,
  StatusPill,
  TabPanel,
  Tabs,
  type Crumb,
} from "@/components/ui";

export interface DetailTab {
  id: string;
  label: string;
  count?: number;
  content: ReactNode;
  hidden?: boolean;
}

export function DetailPage({
  title,
  description,
  status,
  breadcrumbs,
  actions,
  tabs,
  loading = false,
  error,
  onRetry,
  tabParam = "tab",
  meta,
}: {
  title: ReactNode;
  description?: ReactNode;
  status?: string;
  breadcrumbs?: Crumb[];
  actions?: ReactNode;
  tabs: DetailTab[];
  loading?: boolean;
  /** A load failure replaces the tabs with an ErrorState (NOT_FOUND reads "Not found"). */
  error?: unknown;
  onRetry?: () => void;
  tabParam?: string;
  meta?: ReactNode;
}) {
  const params = useSearchParams();
  const pathname = usePathname();
  const shown = tabs.filter((t) => !t.hidden);
  const requested = params.get(tabParam);
  const active = shown.find((t) => t.id === requested) ?? shown[0];
  const hrefFor = (id: string) => {
    const next = new URLSearchParams(params.toString());
    if (id === shown[0]?.id) next.delete(tabParam);
    else next.set(tabParam, id);
    const qs = next.toString();
    return qs ? `${pathname}?${qs}` : pathname;
  };

  if (error)
    return (
      <div>
        {breadcrumbs ? <PageHeader title="" breadcrumbs={breadcrumbs} className="mb-2" /> : null}
        <ErrorState error={error} onRetry={onRetry} />
      </div>
    );

  return (
    <div>
      <PageHeader
        title={loading ? <Skeleton className="h-7 w-56" /> : title}
        description={loading ? undefined : description}
        breadcrumbs={breadcrumbs}
        actions={loading ? undefined : actions}
        meta={
          loading ? null : (
            <>
              {status ? <StatusPill status={status} /> : null}
              {meta}
            </>
          )
        }
      />
      {shown.length > 1 ? (
        <Tabs items={shown} value={active?.id ?? ""} hrefFor={hrefFor} aria-label="Sections" />
      ) : null}
      {loading ? (
        <div className="pt-5">
          <SkeletonText lines={4} className="max-w-xl" />
        </div>
      ) : active ? (
        <TabPanel id={active.id}>{active.content}</TabPanel>
      ) : null}
    </div>
  );
}
