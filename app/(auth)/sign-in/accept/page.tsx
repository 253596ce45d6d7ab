// Accepting an invitation (/sign-in/accept?token=...): public, the token is the credential.
import type { Metadata } from "next";
import { AcceptInviteForm } from "@/components/iam/accept-invite-form";
import { env } from "@/server/env";

export const metadata: Metadata = { title: "Accept invitation", referrer: "no-referrer" };
export const dynamic = "force-dynamic";

export default async function AcceptInvitePage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { token } = await searchParams;
  const oidcName = env.OIDC_ISSUER && env.OIDC_CLIENT_ID ? env.OIDC_NAME : null;
  return <AcceptInviteForm token={typeof token === "string" ? token : ""} oidcName={oidcName} />;
}
