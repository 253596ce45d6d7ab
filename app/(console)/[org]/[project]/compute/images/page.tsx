// A project's images.
import type { Metadata } from "next";
import { Suspense } from "react";
import { ImagesView } from "@/components/compute/images-view";

export const metadata: Metadata = { title: "Images" };

export default async function Page({ params }: { params: Promise<{ org: string; project: string }> }) {
  const { org, project } = await params;
  return (
    <Suspense>
      <ImagesView
        org={decodeURIComponent(org).toLowerCase()}
        project={decodeURIComponent(project).toLowerCase()}
      />
    </Suspense>
  );
}
