import type { Metadata } from "next";
import { ManageRoleView } from "@/components/iam/manage-role-view";

export const metadata: Metadata = { title: "Manage role" };

export default async function ManageRolePage({
  params,
}: {
  params: Promise<{ org: string; userId: string }>;
}) {
  const { org, userId } = await params;
  return <ManageRoleView org={org} userId={decodeURIComponent(userId)} />;
}
