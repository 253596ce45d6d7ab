// The organisation's activity log.
import type { Metadata } from "next";
import { Suspense } from "react";
import { ActivityLogView } from "@/components/audit/activity-log-view";

export const metadata: Metadata = { title: "Activity log" };

export default async function ActivityPage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  return (
    <Suspense>
      <ActivityLogView org={decodeURIComponent(org).toLowerCase()} />
    </Suspense>
  );
}
