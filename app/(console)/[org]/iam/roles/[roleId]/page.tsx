import type { Metadata } from "next";
import { RoleEditorView } from "@/components/iam/role-editor";

export const metadata: Metadata = { title: "Role" };

export default async function RolePage({ params }: { params: Promise<{ org: string; roleId: string }> }) {
  const { org, roleId } = await params;
  return <RoleEditorView org={org} roleId={decodeURIComponent(roleId)} />;
}
