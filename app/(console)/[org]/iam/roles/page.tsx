import type { Metadata } from "next";
import { RolesView } from "@/components/iam/roles-view";

export const metadata: Metadata = { title: "Roles" };

export default async function RolesPage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  return <RolesView org={org} />;
}
