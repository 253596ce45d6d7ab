// Create instances: the wizard.
import type { Metadata } from "next";
import { Suspense } from "react";
import { CreateInstanceView } from "@/components/compute/create-instance-view";

export const metadata: Metadata = { title: "Create instance" };

export default async function Page({ params }: { params: Promise<{ org: string; project: string }> }) {
  const { org, project } = await params;
  return (
    <Suspense>
      <CreateInstanceView
        org={decodeURIComponent(org).toLowerCase()}
        project={decodeURIComponent(project).toLowerCase()}
      />
    </Suspense>
  );
}
