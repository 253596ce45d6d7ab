// A project's instances.
import type { Metadata } from "next";
import { Suspense } from "react";
import { InstancesView } from "@/components/compute/instances-view";

export const metadata: Metadata = { title: "Instances" };

export default async function Page({ params }: { params: Promise<{ org: string; project: string }> }) {
  const { org, project } = await params;
  return (
    <Suspense>
      <InstancesView
        org={decodeURIComponent(org).toLowerCase()}
        project={decodeURIComponent(project).toLowerCase()}
      />
    </Suspense>
  );
}
