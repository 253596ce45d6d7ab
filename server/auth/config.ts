// Auth.js (next-auth v5): local sign-in with email + password and OIDC from a configured issuer.
// The JWT cookie only names a server-side session row (server/auth/sessions.ts).
import { eq, sql } from "drizzle-orm";
import NextAuth, { CredentialsSignin, type NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { getDb } from "@/db/client";
import { users } from "@/db/schema";
import { systemActor } from "@/server/audit/actor";
import { writeAudit } from "@/server/audit/write";
import { env } from "@/server/env";
import { AppError } from "@/server/errors";
import { checkLogin } from "./password";
import { createSession, revokeSession, SESSION_TTL_S } from "./sessions";

class LoginError extends CredentialsSignin {
  constructor(code: string) {
    super();
    this.code = code;
  }
}

function requestMeta(request: Request | undefined): {
  ip: string | null;
  ua: string | null;
  requestId: string;
} {
  // The custom server sets x-cirrus-client-ip from the socket (or the trusted proxy); clients cannot forge it.
  return {
    ip: request?.headers.get("x-cirrus-client-ip") ?? null,
    ua: request?.headers.get("user-agent") ?? null,
    requestId: request?.headers.get("x-request-id") ?? crypto.randomUUID(),
  };
}

const oidcEnabled = Boolean(env.OIDC_ISSUER && env.OIDC_CLIENT_ID);

const config: NextAuthConfig = {
  secret: env.AUTH_SECRET,
  trustHost: true,
  session: { strategy: "jwt", maxAge: SESSION_TTL_S },
  pages: { signIn: "/sign-in", error: "/sign-in" },
  providers: [
    Credentials({
      credentials: { email: { type: "email" }, password: { type: "password" } },
      async authorize(credentials, request) {
        const email = typeof credentials.email === "string" ? credentials.email : "";
        const password = typeof credentials.password === "string" ? credentials.password : "";
        const meta = requestMeta(request);
        const actor = {
          ...systemActor(meta.requestId),
          type: "anonymous" as const,
          ip: meta.ip,
          userAgent: meta.ua,
        };
        try {
          const user = await checkLogin(getDb(), email, password, meta.ip);
          return { id: user.id, email: user.email, name: user.name };
        } catch (e) {
          const code =
            e instanceof AppError && e.code === "RATE_LIMITED" ? "rate_limited" : "invalid_credentials";
          await writeAudit(
            getDb(),
            { ...actor, email: email.slice(0, 200) },
            {
              action: "iam.session.create",
              orgId: null,
              outcome: code === "rate_limited" ? "denied" : "failure",
              errorCode: code,
              message: e instanceof Error ? e.message : "sign-in failed",
            },
          );
          throw new LoginError(code);
        }
      },
    }),
    ...(oidcEnabled
      ? [
          {
            id: "oidc",
            name: env.OIDC_NAME,
            type: "oidc" as const,
            issuer: env.OIDC_ISSUER,
            clientId: env.OIDC_CLIENT_ID,
            clientSecret: env.OIDC_CLIENT_SECRET,
            checks: ["pkce", "state", "nonce"] as ("pkce" | "state" | "nonce")[],
          },
        ]
      : []),
  ],
  callbacks: {
    /** OIDC users must already exist (invited or provisioned) and be active; the subject is linked on first use. */
    async signIn({ account, profile }) {
      if (account?.provider !== "oidc") return true;
      const email = typeof profile?.email === "string" ? profile.email.toLowerCase() : null;
      if (!email) return "/sign-in?error=oidc_no_email";
      const [user] = await getDb()
        .select()
        .from(users)
        .where(sql`lower(${users.email}) = ${email}`)
        .limit(1);
      if (!user || user.status === "suspended") return "/sign-in?error=oidc_unknown_user";
      if (user.oidcSubject && user.oidcSubject !== account.providerAccountId)
        return "/sign-in?error=oidc_mismatch";
      await getDb()
        .update(users)
        .set({
          oidcIssuer: env.OIDC_ISSUER ?? null,
          oidcSubject: account.providerAccountId,
          status: "active",
          name: user.status === "invited" && typeof profile?.name === "string" ? profile.name : user.name,
          lastLoginAt: new Date(),
        })
        .where(eq(users.id, user.id));
      return true;
    },
    async jwt({ token, user, account, profile }) {
      if (!user) return token;
      let userId = user.id ?? null;
      if (account?.provider === "oidc") {
        const email = typeof profile?.email === "string" ? profile.email.toLowerCase() : "";
        const [row] = await getDb()
          .select({ id: users.id })
          .from(users)
          .where(sql`lower(${users.email}) = ${email}`);
        userId = row?.id ?? null;
      }
      if (!userId) return null;
      const sid = await createSession(getDb(), userId, null, null);
      const [row] = await getDb().select().from(users).where(eq(users.id, userId));
      await writeAudit(
        getDb(),
        { ...systemActor(crypto.randomUUID()), type: "user", userId, email: row?.email ?? null },
        {
          action: "iam.session.create",
          orgId: null,
          target: { kind: "session", id: sid.slice(0, 8) },
          data: { method: account?.provider ?? "credentials" },
        },
      );
      return { sub: userId, sid, email: row?.email, name: row?.name };
    },
    session({ session, token }) {
      return { ...session, user: { ...session.user, id: token.sub ?? "" } };
    },
  },
  events: {
    async signOut(message) {
      const token = "token" in message ? message.token : null;
      if (token && typeof token.sid === "string") await revokeSession(getDb(), token.sid);
    },
  },
};

export const { handlers, auth, signIn, signOut } = NextAuth(config);
