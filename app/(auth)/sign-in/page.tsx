// Sign-in: email and password, and the organisation's single sign-on when OIDC is configured.
// An already signed-in visitor goes straight on.
import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SignInForm } from "@/components/shell/sign-in-form";
import { safeCallback } from "@/components/shell/sign-in";
import { currentPrincipal } from "@/components/shell/session";
import { env } from "@/server/env";

export const metadata: Metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const one = (k: string) => (typeof params[k] === "string" ? params[k] : undefined);
  const callbackUrl = safeCallback(one("callbackUrl"));
  if (await currentPrincipal()) redirect(callbackUrl);
  const oidcName = env.OIDC_ISSUER && env.OIDC_CLIENT_ID ? env.OIDC_NAME : null;
  return <SignInForm oidcName={oidcName} callbackUrl={callbackUrl} initialError={one("error") ?? null} />;
}
