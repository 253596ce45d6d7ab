// A project's security groups and their rules.
import type { Metadata } from "next";
import { Suspense } from "react";
import { SecurityGroupsView } from "@/components/network/security-groups-view";

export const metadata: Metadata = { title: "Security groups" };

export default async function Page({ params }: { params: Promise<{ org: string; project: string }> }) {
  const { org, project } = await params;
  return (
    <Suspense>
      <SecurityGroupsView
        org={decodeURIComponent(org).toLowerCase()}
        project={decodeURIComponent(project).toLowerCase()}
      />
    </Suspense>
  );
}
