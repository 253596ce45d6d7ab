// API tokens through the real procedure ladder: shown once, hashed at rest, limited to a project
// the owner can see, expiry and revocation effective at once, audited without the secret.
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiTokens, auditEvents } from "@/db/schema";
import { loadGrants, principalFromToken } from "@/server/iam/access";
import { appRouter } from "@/server/routers/_app";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { callerFor, contextFor, seedPersonas, type Demo } from "@/test/personas";
import { failure, session, successEvents } from "./iam-test-helpers";

let t: TestDatabase;
let demo: Demo;

beforeAll(async () => {
  t = await createTestDatabase();
  demo = await seedPersonas(t.db);
});
afterAll(() => t.close());

/** A caller authenticated by the given API token, as the HTTP layer would build it. */
async function callerWithToken(token: string) {
  const principal = await principalFromToken(t.db, token);
  if (!principal) return null;
  const ctx = await contextFor(t.db, principal.email);
  ctx.principal = principal;
  ctx.grants = await loadGrants(t.db, principal);
  ctx.actor.type = "token";
  return appRouter.createCaller(ctx);
}

describe("API tokens", () => {
  it("creates a token shown once, stored hashed, audited without the secret", async () => {
    const { ctx, caller } = await session(t.db, "dev@acme.example");
    const res = await caller.iam.createApiToken({ name: "laptop", expiresInDays: 7 });
    expect(res.token).toMatch(/^cirrus_[A-Za-z0-9_-]{43}$/);
    expect(res).toMatchObject({
      name: "laptop",
      project: null,
      expired: false,
      prefix: res.token.slice(0, 13),
    });
    expect(res.expiresAt.getTime() - Date.now()).toBeGreaterThan(6.9 * 86_400_000);
    const [row] = await t.db.select().from(apiTokens).where(eq(apiTokens.id, res.id));
    expect(row!.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(res.token);
    const events = await successEvents(t.db, ctx.requestId);
    expect(events.map((e) => e.action)).toEqual(["iam.token.create"]);
    expect(JSON.stringify(events)).not.toContain(res.token.slice(13));

    const listed = await caller.iam.listApiTokens();
    expect(listed.items.map((i) => i.id)).toContain(res.id);
    expect(JSON.stringify(listed)).not.toContain(res.token.slice(13));
    const viaToken = await callerWithToken(res.token);
    expect((await viaToken!.common.getMe()).email).toBe("dev@acme.example");
  });

  it("limits a project token to that project", async () => {
    const admin = await callerFor(t.db, "admin@acme.example");
    const res = await admin.iam.createApiToken({ name: "web ci", expiresInDays: 30, projectId: demo.web.id });
    expect(res.project).toMatchObject({ slug: "web", orgSlug: "acme" });
    const viaToken = (await callerWithToken(res.token))!;
    expect((await viaToken.resourcemanager.getProject({ project: demo.web.id })).slug).toBe("web");
    expect(await failure(viaToken.resourcemanager.getProject({ project: demo.data.id }))).toMatchObject({
      code: "NOT_FOUND",
    });
    // It cannot mint a wider token.
    expect(await failure(viaToken.iam.createApiToken({ name: "wider", expiresInDays: 1 }))).toMatchObject({
      code: "FORBIDDEN",
      message: "This API token is limited to one project: it can only create tokens for that same project",
    });
    expect(
      (await viaToken.iam.createApiToken({ name: "same", expiresInDays: 1, projectId: demo.web.id })).project
        ?.slug,
    ).toBe("web");
    // The token's events land in the project's organisation log.
    const [ev] = await t.db
      .select()
      .from(auditEvents)
      .where(sql`${auditEvents.targetId} = ${res.id}::text and ${auditEvents.action} = 'iam.token.create'`);
    expect(ev).toMatchObject({ orgId: demo.acme.id, projectId: demo.web.id });
  });

  it.each([
    [
      "a project the caller cannot see",
      "dev@acme.example",
      () => ({ projectId: demo.data.id }),
      "NOT_FOUND",
      `Project ${"DATA"} not found`,
    ],
    [
      "another organisation's project",
      "admin@acme.example",
      () => ({ projectId: "GLOBEX" }),
      "NOT_FOUND",
      "Project GLOBEX not found",
    ],
    [
      "a lifetime over a year",
      "dev@acme.example",
      () => ({ expiresInDays: 366 }),
      "BAD_REQUEST",
      "expiresInDays: Too big: expected number to be <=365",
    ],
    [
      "an empty name",
      "dev@acme.example",
      () => ({ name: " " }),
      "BAD_REQUEST",
      "name: Too small: expected string to have >=1 characters",
    ],
  ])("refuses %s", async (_what, as, extra, code, message) => {
    const [gx] = await t.db.execute<{ id: string }>(sql`select id from projects where slug = 'default'`);
    const input: { name: string; expiresInDays: number; projectId?: string } = {
      name: "x",
      expiresInDays: 1,
      ...extra(),
    };
    if (input.projectId === "GLOBEX") input.projectId = gx!.id;
    const caller = await callerFor(t.db, as);
    expect(await failure(caller.iam.createApiToken(input))).toMatchObject({
      code,
      message: message.replace("DATA", demo.data.id).replace("GLOBEX", gx!.id),
    });
  });

  it("revokes at once, and only the owner's tokens", async () => {
    const dev = await callerFor(t.db, "dev@acme.example");
    const res = await dev.iam.createApiToken({ name: "short", expiresInDays: 1 });
    const admin = await callerFor(t.db, "admin@acme.example");
    expect(await failure(admin.iam.revokeApiToken({ id: res.id }))).toMatchObject({
      code: "NOT_FOUND",
      message: `API token ${res.id} not found`,
    });
    const { ctx, caller } = await session(t.db, "dev@acme.example");
    expect(await caller.iam.revokeApiToken({ id: res.id })).toEqual({ id: res.id, name: "short" });
    expect((await successEvents(t.db, ctx.requestId)).map((e) => e.action)).toEqual(["iam.token.revoke"]);
    expect(await principalFromToken(t.db, res.token)).toBeNull();
    expect((await caller.iam.listApiTokens()).items.map((i) => i.id)).not.toContain(res.id);
    expect(await failure(caller.iam.revokeApiToken({ id: res.id }))).toMatchObject({ code: "NOT_FOUND" });
  });

  it("stops an expired token and marks it in the list", async () => {
    const dev = await callerFor(t.db, "dev@acme.example");
    const res = await dev.iam.createApiToken({ name: "old", expiresInDays: 1 });
    await t.db
      .update(apiTokens)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(apiTokens.id, res.id));
    expect(await principalFromToken(t.db, res.token)).toBeNull();
    expect((await dev.iam.listApiTokens()).items.find((i) => i.id === res.id)).toMatchObject({
      expired: true,
    });
  });

  it("caps the number of active tokens per user", async () => {
    const viewer = await callerFor(t.db, "viewer@acme.example");
    const [u] = await t.db.execute<{ id: string }>(
      sql`select id from users where email = 'viewer@acme.example'`,
    );
    await t.db.insert(apiTokens).values(
      Array.from({ length: 50 }, (_, i) => ({
        userId: u!.id,
        name: `bulk ${i}`,
        prefix: "cirrus_bulk",
        hash: `bulk-${i}-${u!.id}`,
        expiresAt: new Date(Date.now() + 86_400_000),
      })),
    );
    expect(
      await failure(viewer.iam.createApiToken({ name: "one too many", expiresInDays: 1 })),
    ).toMatchObject({
      code: "CONFLICT",
      message: "You already have 50 active API tokens: revoke the ones you no longer use first",
    });
  });

  it("answers UNAUTHORIZED to anonymous callers", async () => {
    const anon = await callerFor(t.db, null);
    expect(await failure(anon.iam.listApiTokens())).toMatchObject({ code: "UNAUTHORIZED" });
  });
});
