// A project's key pairs.
import type { Metadata } from "next";
import { Suspense } from "react";
import { KeypairsView } from "@/components/compute/keypairs-view";

export const metadata: Metadata = { title: "Key pairs" };

export default async function Page({ params }: { params: Promise<{ org: string; project: string }> }) {
  const { org, project } = await params;
  return (
    <Suspense>
      <KeypairsView
        org={decodeURIComponent(org).toLowerCase()}
        project={decodeURIComponent(project).toLowerCase()}
      />
    </Suspense>
  );
}
