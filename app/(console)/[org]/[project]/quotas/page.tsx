import type { Metadata } from "next";
import { ProjectQuotasView } from "@/components/quota/project-quotas-view";

export const metadata: Metadata = { title: "Project quotas" };

export default async function ProjectQuotasPage({
  params,
}: {
  params: Promise<{ org: string; project: string }>;
}) {
  const { org, project } = await params;
  return <ProjectQuotasView org={org} project={project} />;
}
