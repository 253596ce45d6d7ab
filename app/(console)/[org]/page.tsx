// Organisation dashboard.
import type { Metadata } from "next";
import { OrgDashboard } from "@/components/shell/dashboard";

export const metadata: Metadata = { title: "Dashboard" };

export default async function OrgDashboardPage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  return <OrgDashboard org={decodeURIComponent(org).toLowerCase()} />;
}
