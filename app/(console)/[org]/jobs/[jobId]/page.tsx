// One job with its steps, followed live.
import type { Metadata } from "next";
import { JobDetailView } from "@/components/jobs/job-detail-view";

export const metadata: Metadata = { title: "Job" };

export default async function JobPage({ params }: { params: Promise<{ org: string; jobId: string }> }) {
  const { org, jobId } = await params;
  return <JobDetailView org={decodeURIComponent(org).toLowerCase()} jobId={decodeURIComponent(jobId)} />;
}
