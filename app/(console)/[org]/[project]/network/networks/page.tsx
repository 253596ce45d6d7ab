// A project's networks and their subnets.
import type { Metadata } from "next";
import { Suspense } from "react";
import { NetworksView } from "@/components/network/networks-view";

export const metadata: Metadata = { title: "Networks" };

export default async function Page({ params }: { params: Promise<{ org: string; project: string }> }) {
  const { org, project } = await params;
  return (
    <Suspense>
      <NetworksView
        org={decodeURIComponent(org).toLowerCase()}
        project={decodeURIComponent(project).toLowerCase()}
      />
    </Suspense>
  );
}
