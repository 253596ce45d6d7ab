// Project dashboard.
import type { Metadata } from "next";
import { ProjectDashboard } from "@/components/shell/dashboard";

export const metadata: Metadata = { title: "Project" };

export default async function ProjectDashboardPage({
  params,
}: {
  params: Promise<{ org: string; project: string }>;
}) {
  const { org, project } = await params;
  return (
    <ProjectDashboard
      org={decodeURIComponent(org).toLowerCase()}
      project={decodeURIComponent(project).toLowerCase()}
    />
  );
}
