// One instance: state, actions, and its tabs.
import type { Metadata } from "next";
import { Suspense } from "react";
import { InstanceDetailView } from "@/components/compute/instance-detail-view";

export const metadata: Metadata = { title: "Instance" };

export default async function Page({
  params,
}: {
  params: Promise<{ org: string; project: string; id: string }>;
}) {
  const { org, project, id } = await params;
  return (
    <Suspense>
      <InstanceDetailView
        org={decodeURIComponent(org).toLowerCase()}
        project={decodeURIComponent(project).toLowerCase()}
        id={decodeURIComponent(id)}
      />
    </Suspense>
  );
}
