import type { Metadata } from "next";
import { Suspense } from "react";
import { AllQuotaRequestsView } from "@/components/admin/all-quota-requests-view";

export const metadata: Metadata = { title: "Quota requests · Admin" };

export default function AdminQuotaRequestsPage() {
  return (
    <Suspense>
      <AllQuotaRequestsView />
    </Suspense>
  );
}
