import type { Metadata } from "next";
import { DefaultQuotasView } from "@/components/admin/default-quotas-editor";

export const metadata: Metadata = { title: "Default quotas · Admin" };

export default function AdminQuotasPage() {
  return <DefaultQuotasView />;
}
