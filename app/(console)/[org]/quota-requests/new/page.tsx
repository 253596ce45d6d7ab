import type { Metadata } from "next";
import { Suspense } from "react";
import { QuotaRequestForm } from "@/components/quota/quota-request-form";

export const metadata: Metadata = { title: "Request a quota increase" };

export default async function NewQuotaRequestPage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  return (
    <Suspense>
      <QuotaRequestForm org={org} />
    </Suspense>
  );
}
