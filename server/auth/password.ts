// Password hashing (argon2id) and the login check with its rate limit, shared by the sign-in
// page (Auth.js credentials) and the REST token endpoint.
import { hash, verify } from "@node-rs/argon2";
import { and, eq, gt, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { loginAttempts, users } from "@/db/schema";
import { AppError } from "@/server/errors";
import { env } from "@/server/env";

export const hashPassword = (password: string) =>
  hash(password, { memoryCost: 19456, timeCost: 2, parallelism: 1 });

// Verifying against a fixed hash when the user does not exist keeps the timing of both answers alike.
let dummyHash: Promise<string> | null = null;

const WINDOW_MS = 15 * 60 * 1000;

export interface LoginUser {
  id: string;
  email: string;
  name: string;
}

export async function checkLogin(
  db: DbOrTx,
  email: string,
  password: string,
  ip: string | null,
): Promise<LoginUser> {
  const normalized = email.trim().toLowerCase();
  const key = `${normalized}|${ip ?? "?"}`;
  const since = new Date(Date.now() - WINDOW_MS);
  const [recent] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(loginAttempts)
    .where(
      and(eq(loginAttempts.key, key), eq(loginAttempts.success, false), gt(loginAttempts.createdAt, since)),
    );
  if ((recent?.n ?? 0) >= env.CIRRUS_LOGIN_LIMIT) {
    throw new AppError("RATE_LIMITED", "Too many failed sign-in attempts. Wait 15 minutes and try again.");
  }
  const [user] = await db
    .select()
    .from(users)
    .where(sql`lower(${users.email}) = ${normalized}`)
    .limit(1);
  dummyHash ??= hashPassword("not-a-password");
  const ok = await verify(user?.passwordHash ?? (await dummyHash), password).catch(() => false);
  const success = Boolean(user && user.passwordHash && ok && user.status === "active");
  await db.insert(loginAttempts).values({ key, success });
  if (!success || !user) {
    if (user && ok && user.status === "suspended") {
      throw new AppError(
        "UNAUTHENTICATED",
        "This account is suspended. Ask an administrator of your organisation.",
      );
    }
    throw new AppError("UNAUTHENTICATED", "The email or password is wrong");
  }
  await db.update(users).set({ lastLoginAt: new Date() }).where(eq(users.id, user.id));
  return { id: user.id, email: user.email, name: user.name };
}
