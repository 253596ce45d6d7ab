// A project's jobs.
import type { Metadata } from "next";
import { Suspense } from "react";
import { ProjectJobsView } from "@/components/jobs/project-jobs-view";

export const metadata: Metadata = { title: "Jobs" };

export default async function ProjectJobsPage({
  params,
}: {
  params: Promise<{ org: string; project: string }>;
}) {
  const { org, project } = await params;
  return (
    <Suspense>
      <ProjectJobsView
        org={decodeURIComponent(org).toLowerCase()}
        project={decodeURIComponent(project).toLowerCase()}
      />
    </Suspense>
  );
}
