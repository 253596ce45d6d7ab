// The organisation's jobs, running ones first.
import type { Metadata } from "next";
import { Suspense } from "react";
import { OrgJobsView } from "@/components/jobs/org-jobs-view";

export const metadata: Metadata = { title: "Jobs" };

export default async function OrgJobsPage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  return (
    <Suspense>
      <OrgJobsView org={decodeURIComponent(org).toLowerCase()} />
    </Suspense>
  );
}
