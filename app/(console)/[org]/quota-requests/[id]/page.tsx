import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { QuotaRequestDetail } from "@/components/quota/quota-request-detail";

export const metadata: Metadata = { title: "Quota request" };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export default async function QuotaRequestPage({ params }: { params: Promise<{ org: string; id: string }> }) {
  const { org, id } = await params;
  if (!UUID.test(id)) notFound();
  return <QuotaRequestDetail org={org} id={id} />;
}
