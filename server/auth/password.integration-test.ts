import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiTokens, users } from "@/db/schema";
import { principalFromSession, principalFromToken } from "@/server/iam/access";
import { hashToken } from "@/server/iam/tokens";
import { createSession, revokeSession } from "./sessions";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { callerFor, seedPersonas } from "@/test/personas";
import { env } from "@/server/env";
import { AppError } from "@/server/errors";
import { checkLogin } from "./password";

let t: TestDatabase;

beforeAll(async () => {
  t = await createTestDatabase();
  await seedPersonas(t.db);
});
afterAll(() => t.close());

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "ok";
  } catch (e) {
    return e instanceof AppError ? `${e.code}: ${e.message}` : String(e);
  }
}

describe("password sign-in", () => {
  it.each([
    ["right password", "viewer@acme.example", "cirrus-demo", "ok"],
    ["email in another case", "VIEWER@acme.example", "cirrus-demo", "ok"],
    ["wrong password", "viewer@acme.example", "nope", "UNAUTHENTICATED: The email or password is wrong"],
    ["unknown user", "ghost@acme.example", "cirrus-demo", "UNAUTHENTICATED: The email or password is wrong"],
    [
      "suspended user",
      "suspended@acme.example",
      "cirrus-demo",
      "UNAUTHENTICATED: This account is suspended. Ask an administrator of your organisation.",
    ],
  ])("%s", async (_name, email, password, expected) => {
    expect(await codeOf(checkLogin(t.db, email, password, "10.0.0.1"))).toBe(expected);
  });

  it("rate-limits failed attempts per email and address, even with the right password afterwards", async () => {
    for (let i = 0; i < env.CIRRUS_LOGIN_LIMIT; i++)
      await codeOf(checkLogin(t.db, "admin@acme.example", "wrong", "10.0.0.9"));
    expect(await codeOf(checkLogin(t.db, "admin@acme.example", "cirrus-demo", "10.0.0.9"))).toBe(
      "RATE_LIMITED: Too many failed sign-in attempts. Wait 15 minutes and try again.",
    );
    // Another address is not affected.
    expect(await codeOf(checkLogin(t.db, "admin@acme.example", "cirrus-demo", "10.0.0.10"))).toBe("ok");
  });

  it("a suspension or sign-out applies on the next request, without re-login", async () => {
    const [dev] = await t.db.select().from(users).where(eq(users.email, "dev@acme.example"));
    const sid = await createSession(t.db, dev!.id, null, null);
    expect(await principalFromSession(t.db, sid)).toMatchObject({ email: "dev@acme.example" });
    await t.db.update(users).set({ status: "suspended" }).where(eq(users.id, dev!.id));
    expect(await principalFromSession(t.db, sid)).toBeNull();
    await t.db.update(users).set({ status: "active" }).where(eq(users.id, dev!.id));
    expect(await principalFromSession(t.db, sid)).not.toBeNull();
    await revokeSession(t.db, sid);
    expect(await principalFromSession(t.db, sid)).toBeNull();
  });

  it("a revoked or expired API token stops working at once", async () => {
    const caller = await callerFor(t.db, null);
    const { token } = await caller.common.createToken({
      email: "viewer@acme.example",
      password: "cirrus-demo",
    });
    expect(await principalFromToken(t.db, token)).toMatchObject({
      email: "viewer@acme.example",
      via: "token",
    });
    await t.db
      .update(apiTokens)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(apiTokens.hash, hashToken(token)));
    expect(await principalFromToken(t.db, token)).toBeNull();
  });
});
