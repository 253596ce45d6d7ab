import type { Metadata } from "next";
import { UsersView } from "@/components/iam/users-view";

export const metadata: Metadata = { title: "Users" };

export default async function UsersPage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  return <UsersView org={org} />;
}
