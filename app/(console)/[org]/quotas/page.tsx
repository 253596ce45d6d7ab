import type { Metadata } from "next";
import { OrgQuotasView } from "@/components/quota/org-quotas-view";

export const metadata: Metadata = { title: "Quotas" };

export default async function OrgQuotasPage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  return <OrgQuotasView org={org} />;
}
