import type { Metadata } from "next";
import { Suspense } from "react";
import { OrganizationsView } from "@/components/admin/organizations-view";

export const metadata: Metadata = { title: "Organisations · Admin" };

export default function AdminOrganizationsPage() {
  return (
    <Suspense>
      <OrganizationsView />
    </Suspense>
  );
}
