"use client";
// Accepting an invitation: the invitee sees who invited them where, sets a password (and may fix
// their name), then is signed in and taken to their organisation.
import { useMutation, useQuery } from "@tanstack/react-query";
import { Cloud, LogIn } from "lucide-react";
import Link from "next/link";
import { signIn } from "next-auth/react";
import { useState } from "react";
import { useTRPC } from "@/components/trpc";
import { Alert, Button, Card, errorInfo, Field, formatDateTime, Input, Skeleton } from "@/components/ui";

const MIN = 10;

export function AcceptInviteForm({ token, oidcName }: { token: string; oidcName: string | null }) {
  const trpc = useTRPC();
  const invitation = useQuery({
    ...trpc.iam.getInvitation.queryOptions({ token }),
    enabled: token.length >= 16,
    retry: false,
  });
  const [name, setName] = useState<string | null>(null);
  const [password, setPassword] = useState("");
  const [confirm, setConfirm] = useState("");
  const [touched, setTouched] = useState(false);
  const [signingIn, setSigningIn] = useState(false);
  const [signInError, setSignInError] = useState<string | null>(null);
  const accept = useMutation(
    trpc.iam.acceptInvite.mutationOptions({
      onSuccess: async (res) => {
        setSigningIn(true);
        const r = await signIn("credentials", { email: res.email, password, redirect: false }).catch(
          () => null,
        );
        if (!r || r.error) {
          setSigningIn(false);
          setSignInError(
            "Your password is set, but signing you in failed. Sign in with your email and the new password.",
          );
          return;
        }
        window.location.assign(res.organizations[0] ? `/${res.organizations[0].slug}` : "/");
      },
    }),
  );
  const inv = invitation.data;
  const effectiveName = name ?? inv?.name ?? "";
  const errors = {
    name: !effectiveName.trim() ? "Enter your name" : null,
    password: password.length < MIN ? `Use at least ${MIN} characters` : null,
    confirm: confirm !== password ? "The two passwords differ" : null,
  };
  const serverError = accept.error ? errorInfo(accept.error) : null;

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (errors.name || errors.password || errors.confirm) return;
    accept.mutate({ token, password, name: effectiveName.trim() });
  };

  const invalid = token.length < 16 || invitation.error;
  return (
    <main className="flex min-h-dvh flex-col items-center justify-center bg-background px-4 py-12">
      <div className="w-full max-w-md">
        <div className="mb-8 flex flex-col items-center text-center">
          <span className="flex size-11 items-center justify-center rounded-xl bg-primary text-primary-foreground shadow-sm">
            <Cloud className="size-6" aria-hidden="true" />
          </span>
          <h1 className="mt-4 text-2xl font-semibold tracking-tight">
            {inv && inv.organizations[0]
              ? `Join ${inv.organizations[0].name} on Cirrus`
              : "Accept your invitation"}
          </h1>
          {inv ? (
            <p className="mt-1 text-sm text-muted-foreground">
              Set a password for <span className="font-medium text-foreground">{inv.email}</span>
            </p>
          ) : null}
        </div>
        <Card className="p-6 shadow-sm">
          {invalid ? (
            <div className="flex flex-col gap-4">
              <Alert tone="danger" title="This invitation cannot be used">
                {token.length < 16
                  ? "The link is incomplete. Open the whole link you were sent."
                  : errorInfo(invitation.error).message}
              </Alert>
              <Link href="/sign-in" className="text-sm font-medium text-primary hover:underline">
                Go to sign-in
              </Link>
            </div>
          ) : !inv ? (
            <div className="flex flex-col gap-4" aria-busy="true">
              <Skeleton className="h-10 w-full" />
              <Skeleton className="h-10 w-full" />
              <Skeleton className="h-10 w-full" />
            </div>
          ) : (
            <form className="flex flex-col gap-4" onSubmit={submit} noValidate>
              {serverError ? (
                <Alert tone="danger" className="py-2.5">
                  {serverError.message}
                </Alert>
              ) : null}
              {signInError ? (
                <Alert tone="warning" className="py-2.5">
                  {signInError}{" "}
                  <Link href="/sign-in" className="font-medium underline">
                    Sign in
                  </Link>
                </Alert>
              ) : null}
              <Field label="Email">
                <Input value={inv.email} readOnly autoComplete="username" />
              </Field>
              <Field label="Your name" error={touched ? errors.name : null}>
                <Input
                  value={effectiveName}
                  onChange={(e) => setName(e.target.value)}
                  maxLength={64}
                  autoComplete="name"
                />
              </Field>
              <Field
                label="Password"
                hint={`At least ${MIN} characters. A passphrase of a few words is easy to remember and hard to guess.`}
                error={touched ? errors.password : null}
              >
                <Input
                  type="password"
                  value={password}
                  onChange={(e) => setPassword(e.target.value)}
                  autoComplete="new-password"
                  autoFocus
                />
              </Field>
              <Field label="Repeat the password" error={touched ? errors.confirm : null}>
                <Input
                  type="password"
                  value={confirm}
                  onChange={(e) => setConfirm(e.target.value)}
                  autoComplete="new-password"
                />
              </Field>
              <Button
                type="submit"
                size="lg"
                className="mt-1 w-full"
                icon={<LogIn />}
                loading={accept.isPending || signingIn}
                disabled={Boolean(signInError)}
              >
                Set password and sign in
              </Button>
              <p className="text-center text-xs text-muted-foreground">
                This invitation expires on {formatDateTime(inv.expiresAt)}.
              </p>
            </form>
          )}
        </Card>
        {oidcName ? (
          <p className="mt-6 text-center text-xs text-muted-foreground">
            Rather use {oidcName}?{" "}
            <Link href="/sign-in" className="font-medium text-primary hover:underline">
              Sign in with it
            </Link>{" "}
            instead: your account is activated on the way.
          </p>
        ) : null}
      </div>
    </main>
  );
}
