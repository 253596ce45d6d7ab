import { redirect } from "next/navigation";

// IAM has two pages, users and roles: /[org]/iam goes to the first.
export default async function IamPage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  redirect(`/${org}/iam/users`);
}
