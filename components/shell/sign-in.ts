// Sign-in helpers shared by the server page and the client form: the callback check and the
// user-facing message of each failure code.

/** Only same-site paths: an absolute or protocol-relative URL would be an open redirect. */
export function safeCallback(raw: string | undefined | null): string {
  if (
    !raw ||
    !raw.startsWith("/") ||
    raw.startsWith("//") ||
    raw.startsWith("/\\") ||
    raw.startsWith("/sign-in")
  )
    return "/";
  return raw;
}

const ERRORS: Record<string, string> = {
  rate_limited: "Too many attempts. Wait a few minutes, then try again.",
  invalid_credentials: "Wrong email or password.",
  CredentialsSignin: "Wrong email or password.",
  oidc_no_email: "Your identity provider did not share an email address, so we cannot find your account.",
  oidc_unknown_user:
    "There is no active Cirrus account for your identity. Ask an administrator to invite you.",
  oidc_mismatch: "This email is linked to a different identity. Contact your administrator.",
  AccessDenied: "Access denied.",
  Configuration: "Sign-in is not configured correctly on the server. Contact your administrator.",
};

export function signInMessage(code: string | null | undefined, error?: string | null): string | null {
  if (code && ERRORS[code]) return ERRORS[code];
  if (error && ERRORS[error]) return ERRORS[error];
  if (code || error) return "Sign-in failed. Try again.";
  return null;
}
