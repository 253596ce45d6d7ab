import type { Metadata } from "next";
import { Suspense } from "react";
import { QuotaRequestsView } from "@/components/quota/quota-requests-view";

export const metadata: Metadata = { title: "Quota requests" };

export default async function QuotaRequestsPage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  return (
    <Suspense>
      <QuotaRequestsView org={org} />
    </Suspense>
  );
}
