import type { Metadata } from "next";
import { RoleEditorView } from "@/components/iam/role-editor";

export const metadata: Metadata = { title: "Create role" };

export default async function NewRolePage({
  params,
  searchParams,
}: {
  params: Promise<{ org: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { org } = await params;
  const { from } = await searchParams;
  return <RoleEditorView org={org} roleId={null} from={typeof from === "string" ? from : null} />;
}
