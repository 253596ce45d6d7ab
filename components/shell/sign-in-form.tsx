"use client";
// The sign-in form. Failures say what happened without revealing whether an account exists:
// "Wrong email or password", or "Too many attempts" when the rate limit applies.
import { Cloud, KeyRound, LogIn } from "lucide-react";
import { signIn } from "next-auth/react";
import { useState } from "react";
import { Alert, Button, Card, Field, Input } from "@/components/ui";
import { signInMessage } from "./sign-in";

export function SignInForm({
  oidcName,
  callbackUrl,
  initialError,
}: {
  oidcName: string | null;
  callbackUrl: string;
  initialError: string | null;
}) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(signInMessage(null, initialError));
  const [busy, setBusy] = useState<"password" | "oidc" | null>(null);

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!email.trim() || !password) {
      setError("Enter your email and password.");
      return;
    }
    setBusy("password");
    setError(null);
    try {
      const res = await signIn("credentials", { email: email.trim(), password, redirect: false });
      if (!res || res.error) {
        setError(signInMessage(res?.code, res?.error) ?? "Sign-in failed. Try again.");
        setBusy(null);
        return;
      }
      window.location.assign(callbackUrl);
    } catch {
      setError("The console could not reach the server. Check your connection and try again.");
      setBusy(null);
    }
  };

  return (
    <main className="flex min-h-dvh flex-col items-center justify-center bg-background px-4 py-12">
      <div className="w-full max-w-sm">
        <div className="mb-8 flex flex-col items-center text-center">
          <span className="flex size-11 items-center justify-center rounded-xl bg-primary text-primary-foreground shadow-sm">
            <Cloud className="size-6" aria-hidden="true" />
          </span>
          <h1 className="mt-4 text-2xl font-semibold tracking-tight">Sign in to Cirrus</h1>
          <p className="mt-1 text-sm text-muted-foreground">Your self-service cloud console</p>
        </div>
        <Card className="p-6 shadow-sm">
          {oidcName ? (
            <>
              <Button
                variant="outline"
                size="lg"
                className="w-full"
                icon={<KeyRound />}
                loading={busy === "oidc"}
                disabled={busy !== null}
                onClick={() => {
                  setBusy("oidc");
                  void signIn("oidc", { redirectTo: callbackUrl });
                }}
              >
                Sign in with {oidcName}
              </Button>
              <div className="my-5 flex items-center gap-3 text-xs text-muted-foreground" aria-hidden="true">
                <span className="h-px flex-1 bg-border" />
                or with your password
                <span className="h-px flex-1 bg-border" />
              </div>
            </>
          ) : null}
          <form className="flex flex-col gap-4" onSubmit={(e) => void submit(e)} noValidate>
            {error ? (
              <Alert tone="danger" className="py-2.5">
                <span data-testid="sign-in-error">{error}</span>
              </Alert>
            ) : null}
            <Field label="Email">
              <Input
                type="email"
                name="email"
                autoComplete="username"
                autoFocus
                value={email}
                onChange={(e) => setEmail(e.target.value)}
                placeholder="you@company.example"
              />
            </Field>
            <Field label="Password">
              <Input
                type="password"
                name="password"
                autoComplete="current-password"
                value={password}
                onChange={(e) => setPassword(e.target.value)}
              />
            </Field>
            <Button
              type="submit"
              size="lg"
              className="mt-1 w-full"
              icon={<LogIn />}
              loading={busy === "password"}
              disabled={busy !== null}
            >
              Sign in
            </Button>
          </form>
        </Card>
        <p className="mt-6 text-center text-xs text-muted-foreground">
          Forgot your password or need access? Ask an administrator of your organisation.
        </p>
      </div>
    </main>
  );
}
