// The flavors a project can use.
import type { Metadata } from "next";
import { Suspense } from "react";
import { FlavorsView } from "@/components/compute/flavors-view";

export const metadata: Metadata = { title: "Flavors" };

export default async function Page({ params }: { params: Promise<{ org: string; project: string }> }) {
  const { org, project } = await params;
  return (
    <Suspense>
      <FlavorsView
        org={decodeURIComponent(org).toLowerCase()}
        project={decodeURIComponent(project).toLowerCase()}
      />
    </Suspense>
  );
}
