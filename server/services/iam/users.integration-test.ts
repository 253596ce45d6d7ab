// Users of an organisation through the real procedure ladder: listing, invitations and their
// acceptance, suspension (effective on the next request), reactivation, removal, last admin.
import type { IncomingMessage } from "node:http";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loginAttempts, memberships, roleBindings, sessions, users } from "@/db/schema";
import { bind, ensureUser } from "@/db/seed/demo";
import { checkLogin } from "@/server/auth/password";
import { createSession } from "@/server/auth/sessions";
import { createContext } from "@/server/context";
import { principalFromSession, principalFromToken } from "@/server/iam/access";
import { appRouter } from "@/server/routers/_app";
import { issueApiToken } from "@/server/services/iam/tokens";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { callerFor, PASSWORD, seedPersonas, type Demo } from "@/test/personas";
import { failure, session, successEvents, userWithPermissions } from "./iam-test-helpers";

let t: TestDatabase;
let demo: Demo;

beforeAll(async () => {
  t = await createTestDatabase();
  demo = await seedPersonas(t.db);
});
afterAll(() => t.close());

const tokenOf = (url: string) => new URL(url, "http://x").searchParams.get("token")!;

/** A request as the HTTP layer sees it, carrying an API token. */
function requestWith(token: string): IncomingMessage {
  return {
    headers: { authorization: `Bearer ${token}` },
    socket: { remoteAddress: "10.0.0.9" },
  } as unknown as IncomingMessage;
}

describe("listing users", () => {
  it("lists members with their role assignments and scopes", async () => {
    const admin = await callerFor(t.db, "admin@acme.example");
    const res = await admin.iam.listUsers({ org: "acme", limit: 100 });
    const dev = res.items.find((u) => u.email === "dev@acme.example");
    expect(dev).toMatchObject({ status: "active", signIn: "password" });
    expect(dev!.roles).toEqual([
      expect.objectContaining({ roleKey: "project-member", scopeType: "project", projectSlug: "web" }),
    ]);
    const alice = res.items.find((u) => u.email === "admin@acme.example");
    expect(alice!.roles).toEqual([
      expect.objectContaining({ roleKey: "org-admin", scopeType: "org", projectId: null }),
    ]);
    expect(res.items.find((u) => u.email === "suspended@acme.example")?.status).toBe("suspended");
    expect(res.items.some((u) => u.email.endsWith("globex.example"))).toBe(false);
  });

  it("searches by name or email and filters by status", async () => {
    const admin = await callerFor(t.db, "admin@acme.example");
    expect(
      (await admin.iam.listUsers({ org: "acme", q: "vera", limit: 50 })).items.map((u) => u.email),
    ).toEqual(["viewer@acme.example"]);
    expect(
      (await admin.iam.listUsers({ org: "acme", status: "suspended", limit: 50 })).items.map((u) => u.email),
    ).toEqual(["suspended@acme.example"]);
    // LIKE wildcards in the search are literal.
    expect((await admin.iam.listUsers({ org: "acme", q: "%", limit: 50 })).items).toEqual([]);
  });

  it("pages through every member exactly once", async () => {
    const admin = await callerFor(t.db, "admin@acme.example");
    const all = (await admin.iam.listUsers({ org: "acme", limit: 500 })).items.map((u) => u.id);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const res = await admin.iam.listUsers({ org: "acme", limit: 2, cursor });
      seen.push(...res.items.map((u) => u.id));
      cursor = res.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(all);
  });

  it.each([
    ["dev@acme.example", "FORBIDDEN", "You do not have the permission iam.user.list here"],
    ["padmin@acme.example", "FORBIDDEN", "You do not have the permission iam.user.list here"],
    ["admin@globex.example", "NOT_FOUND", "Organization acme not found"],
    [null, "UNAUTHORIZED", "Sign in or send an API token"],
  ] as const)("refuses %s with %s", async (email, code, message) => {
    const caller = await callerFor(t.db, email);
    expect(await failure(caller.iam.listUsers({ org: "acme", limit: 10 }))).toMatchObject({ code, message });
  });

  it("reads one user, and another org's user is NOT_FOUND", async () => {
    const admin = await callerFor(t.db, "admin@acme.example");
    const dev = await admin.iam.getUser({ org: "acme", userId: "dev@acme.example" });
    expect(dev.name).toBe("Dan Developer");
    const [gus] = await t.db.select().from(users).where(eq(users.email, "admin@globex.example"));
    expect(await failure(admin.iam.getUser({ org: "acme", userId: gus!.id }))).toMatchObject({
      code: "NOT_FOUND",
      message: `User ${gus!.id} is not a member of acme`,
    });
  });
});

describe("invitations", () => {
  it("invites a new user at project scope and lets them accept with a password", async () => {
    const { ctx, caller: admin } = await session(t.db, "admin@acme.example");
    const res = await admin.iam.inviteUser({
      org: "acme",
      email: "New.Person@Acme.example",
      name: "New Person",
      role: "project-reader",
      project: "data",
    });
    expect(res.created).toBe(true);
    expect(res.user).toMatchObject({ email: "new.person@acme.example", status: "invited", signIn: "none" });
    expect(res.user.roles).toEqual([
      expect.objectContaining({ roleKey: "project-reader", scopeType: "project", projectSlug: "data" }),
    ]);
    expect(res.invitation?.url).toMatch(/^\/sign-in\/accept\?token=[A-Za-z0-9_-]{43}$/);
    const events = await successEvents(t.db, ctx.requestId);
    expect(events.map((e) => e.action)).toEqual(["iam.user.invite"]);
    expect(JSON.stringify(events[0]!.data)).not.toContain(tokenOf(res.invitation!.url));
    // Only the hash is stored.
    const [row] = await t.db.select().from(users).where(eq(users.id, res.user.id));
    expect(row!.inviteTokenHash).toMatch(/^[0-9a-f]{64}$/);

    const anon = await callerFor(t.db, null);
    const token = tokenOf(res.invitation!.url);
    expect(await anon.iam.getInvitation({ token })).toMatchObject({
      email: "new.person@acme.example",
      organizations: [{ slug: "acme", name: "Acme Corp" }],
    });
    const accepted = await anon.iam.acceptInvite({ token, password: "a long enough password", name: "Newt" });
    expect(accepted).toMatchObject({ email: "new.person@acme.example", name: "Newt" });
    const user = await checkLogin(t.db, "new.person@acme.example", "a long enough password", "10.1.1.1");
    expect(user.id).toBe(res.user.id);
    // The link is single use.
    expect(await failure(anon.iam.acceptInvite({ token, password: "another long password" }))).toMatchObject({
      code: "NOT_FOUND",
      message: "This invitation link is invalid or has expired. Ask an administrator for a new one.",
    });
    // Their role applies at once: they can read project data.
    const newcomer = await callerFor(t.db, "new.person@acme.example");
    expect((await newcomer.resourcemanager.getProject({ project: demo.data.id })).slug).toBe("data");
  });

  it("adds an existing account of another organisation without a new link", async () => {
    const other = await ensureUser(t.db, "gina@globex.example", "Gina Globex", PASSWORD);
    await bind(t.db, other, "org-reader", { orgId: demo.globex.id });
    const admin = await callerFor(t.db, "admin@acme.example");
    const res = await admin.iam.inviteUser({
      org: "acme",
      email: "gina@globex.example",
      name: "ignored",
      role: "org-reader",
    });
    expect(res).toMatchObject({
      created: false,
      invitation: null,
      user: { status: "active", name: "Gina Globex" },
    });
    const gina = await callerFor(t.db, "gina@globex.example");
    expect(
      (await gina.resourcemanager.listProjects({ org: "acme", limit: 10 })).items.length,
    ).toBeGreaterThan(0);
  });

  it("refuses an expired link", async () => {
    const admin = await callerFor(t.db, "admin@acme.example");
    const res = await admin.iam.inviteUser({
      org: "acme",
      email: "late@acme.example",
      name: "Late",
      role: "org-reader",
    });
    await t.db
      .update(users)
      .set({ inviteExpiresAt: new Date(Date.now() - 1000) })
      .where(eq(users.id, res.user.id));
    const anon = await callerFor(t.db, null);
    expect(
      await failure(
        anon.iam.acceptInvite({ token: tokenOf(res.invitation!.url), password: "long password 123" }),
      ),
    ).toMatchObject({ code: "NOT_FOUND" });
    // A new link works and the old one does not.
    const again = await admin.iam.resendInvitation({ org: "acme", userId: "late@acme.example" });
    expect(again.invitation.url).not.toBe(res.invitation!.url);
    expect(
      (await anon.iam.acceptInvite({ token: tokenOf(again.invitation.url), password: "long password 123" }))
        .email,
    ).toBe("late@acme.example");
    expect(
      await failure(admin.iam.resendInvitation({ org: "acme", userId: "late@acme.example" })),
    ).toMatchObject({
      code: "CONFLICT",
      message: "late@acme.example has already accepted: they can sign in",
    });
  });

  it("rate limits invalid links per client address, like sign-in", async () => {
    const ip = "203.0.113.77";
    await t.db
      .insert(loginAttempts)
      .values(Array.from({ length: 10 }, () => ({ key: `invite|${ip}`, success: false })));
    const { caller } = await session(t.db, null, ip);
    expect(
      await failure(caller.iam.acceptInvite({ token: "x".repeat(43), password: "long password 123" })),
    ).toMatchObject({
      code: "TOO_MANY_REQUESTS",
      message: "Too many attempts with invalid invitation links. Wait 15 minutes and try again.",
    });
    expect(await failure(caller.iam.getInvitation({ token: "x".repeat(43) }))).toMatchObject({
      code: "TOO_MANY_REQUESTS",
    });
    // A bad link counts as an attempt even though the request fails.
    const other = "203.0.113.78";
    const { caller: c2 } = await session(t.db, null, other);
    await failure(c2.iam.acceptInvite({ token: "y".repeat(43), password: "long password 123" }));
    const [n] = await t.db
      .select({ n: sql<number>`count(*)::int` })
      .from(loginAttempts)
      .where(eq(loginAttempts.key, `invite|${other}`));
    expect(n!.n).toBe(1);
  });

  it.each([
    [
      "an existing member",
      { email: "dev@acme.example", name: "Dan", role: "org-reader" },
      "CONFLICT",
      "dev@acme.example is already a member of acme: change their roles from Manage Role instead",
    ],
    [
      "an unknown role",
      { email: "a@acme.example", name: "A", role: "nope" },
      "NOT_FOUND",
      "Role nope not found",
    ],
    [
      "a platform role",
      { email: "a@acme.example", name: "A", role: "platform-admin" },
      "NOT_FOUND",
      "Role platform-admin not found",
    ],
    [
      "an org role in a project",
      { email: "a@acme.example", name: "A", role: "org-admin", project: "web" },
      "BAD_REQUEST",
      "role: Organisation admin can only be assigned at organisation scope",
    ],
    [
      "another org's project",
      { email: "a@acme.example", name: "A", role: "project-reader", project: "default" },
      "NOT_FOUND",
      "Project default not found",
    ],
    [
      "a bad email",
      { email: "not-an-email", name: "A", role: "org-reader" },
      "BAD_REQUEST",
      "email: Invalid email address",
    ],
  ])("refuses to invite %s", async (_what, input, code, message) => {
    const admin = await callerFor(t.db, "admin@acme.example");
    expect(await failure(admin.iam.inviteUser({ org: "acme", ...input }))).toMatchObject({ code, message });
  });

  it("refuses an inviter who would hand out more than they hold", async () => {
    await userWithPermissions(t.db, demo.acme.id, "inviter@acme.example", [
      "iam.user.invite",
      "iam.rolebinding.create",
      "iam.role.list",
      "resourcemanager.project.get",
    ]);
    const inviter = await callerFor(t.db, "inviter@acme.example");
    expect(
      await failure(
        inviter.iam.inviteUser({
          org: "acme",
          email: "x@acme.example",
          name: "X",
          role: "project-reader",
          project: "web",
        }),
      ),
    ).toMatchObject({
      code: "FORBIDDEN",
      message: expect.stringMatching(
        /^You cannot assign Project reader in project web: it grants permissions you do not hold there: /,
      ) as unknown as string,
    });
    // Nothing was created by the refused invitation.
    expect(await t.db.select().from(users).where(eq(users.email, "x@acme.example"))).toEqual([]);
  });
});

describe("suspension", () => {
  it("ends sessions and refuses the next API call at once; reactivation restores tokens", async () => {
    const userId = await ensureUser(t.db, "victim@acme.example", "Vic Tim", PASSWORD);
    await bind(t.db, userId, "project-member", { orgId: demo.acme.id, projectId: demo.web.id });
    const sid = await createSession(t.db, userId, null, null);
    const { token } = await issueApiToken(t.db, userId, { name: "ci", expiresInDays: 1 });
    // Before: both work, and the token calls the API.
    expect(await principalFromSession(t.db, sid)).not.toBeNull();
    const before = await createContext(requestWith(token), t.db);
    expect(
      (await appRouter.createCaller(before).resourcemanager.getProject({ project: demo.web.id })).slug,
    ).toBe("web");

    const { ctx, caller: admin } = await session(t.db, "admin@acme.example");
    const res = await admin.iam.suspendUser({ org: "acme", userId: "victim@acme.example" });
    expect(res).toMatchObject({ sessionsRevoked: 1, user: { status: "suspended" } });
    expect((await successEvents(t.db, ctx.requestId)).map((e) => e.action)).toEqual(["iam.user.suspend"]);

    // The very next request: no session, no token.
    expect(await principalFromSession(t.db, sid)).toBeNull();
    expect(await principalFromToken(t.db, token)).toBeNull();
    const after = await createContext(requestWith(token), t.db);
    expect(after.authError).toBe("The API token is invalid, expired or revoked");
    expect(
      await failure(appRouter.createCaller(after).resourcemanager.getProject({ project: demo.web.id })),
    ).toMatchObject({ code: "UNAUTHORIZED", message: "The API token is invalid, expired or revoked" });
    expect(await failure(checkLogin(t.db, "victim@acme.example", PASSWORD, "10.2.2.2"))).toMatchObject({
      message: "This account is suspended. Ask an administrator of your organisation.",
    });

    expect((await admin.iam.reactivateUser({ org: "acme", userId })).status).toBe("active");
    expect(await principalFromToken(t.db, token)).not.toBeNull();
    // Ended sessions stay ended: the user signs in again.
    expect(await principalFromSession(t.db, sid)).toBeNull();
    const [s] = await t.db.select().from(sessions).where(eq(sessions.id, sid));
    expect(s!.revokedAt).not.toBeNull();
  });

  it("an invited user's link dies on suspension, and reactivation leaves them invited", async () => {
    const admin = await callerFor(t.db, "admin@acme.example");
    const inv = await admin.iam.inviteUser({
      org: "acme",
      email: "pending@acme.example",
      name: "P",
      role: "org-reader",
    });
    await admin.iam.suspendUser({ org: "acme", userId: inv.user.id });
    const anon = await callerFor(t.db, null);
    expect(
      await failure(
        anon.iam.acceptInvite({ token: tokenOf(inv.invitation!.url), password: "long password 123" }),
      ),
    ).toMatchObject({ code: "NOT_FOUND" });
    expect((await admin.iam.reactivateUser({ org: "acme", userId: inv.user.id })).status).toBe("invited");
  });

  it.each([
    ["admin@acme.example", "admin@acme.example", "CONFLICT", "You cannot suspend yourself"],
    [
      "ops@cirrus.example",
      "admin@acme.example",
      "CONFLICT",
      "admin@acme.example is the last organisation admin of acme: make someone else an admin before you suspend them",
    ],
    [
      "admin@acme.example",
      "suspended@acme.example",
      "CONFLICT",
      "suspended@acme.example is already suspended",
    ],
    [
      "viewer@acme.example",
      "dev@acme.example",
      "FORBIDDEN",
      "You do not have the permission iam.user.suspend here",
    ],
    [
      "padmin@acme.example",
      "dev@acme.example",
      "FORBIDDEN",
      "You do not have the permission iam.user.suspend here",
    ],
    ["admin@globex.example", "dev@acme.example", "NOT_FOUND", "Organization acme not found"],
    [
      "admin@acme.example",
      "nobody@acme.example",
      "NOT_FOUND",
      "User nobody@acme.example is not a member of acme",
    ],
  ])("as %s, suspending %s is %s", async (as, who, code, message) => {
    const caller = await callerFor(t.db, as);
    expect(await failure(caller.iam.suspendUser({ org: "acme", userId: who }))).toMatchObject({
      code,
      message,
    });
  });

  it("does not let one organisation lock a user out of another", async () => {
    const both = await ensureUser(t.db, "both@example.com", "Bo Th", PASSWORD);
    await bind(t.db, both, "org-reader", { orgId: demo.acme.id });
    await bind(t.db, both, "org-reader", { orgId: demo.globex.id });
    const admin = await callerFor(t.db, "admin@acme.example");
    expect(await failure(admin.iam.suspendUser({ org: "acme", userId: "both@example.com" }))).toMatchObject({
      code: "CONFLICT",
      message:
        "both@example.com also belongs to other organisations and cannot be suspended from acme: remove them from acme instead, or ask a platform operator",
    });
    const ops = await callerFor(t.db, "ops@cirrus.example");
    expect((await ops.iam.suspendUser({ org: "acme", userId: both })).user.status).toBe("suspended");
  });

  it("suspending the last admin is allowed once another admin exists", async () => {
    const second = await ensureUser(t.db, "admin2@acme.example", "Second Admin", PASSWORD);
    await bind(t.db, second, "org-admin", { orgId: demo.acme.id });
    const ops = await callerFor(t.db, "ops@cirrus.example");
    await ops.iam.suspendUser({ org: "acme", userId: "admin2@acme.example" });
    // With admin2 suspended, Alice is the last active admin again.
    expect(await failure(ops.iam.suspendUser({ org: "acme", userId: "admin@acme.example" }))).toMatchObject({
      code: "CONFLICT",
    });
    await ops.iam.reactivateUser({ org: "acme", userId: "admin2@acme.example" });
    await ops.iam.removeUser({ org: "acme", userId: "admin2@acme.example" });
  });
});

describe("removal", () => {
  it("removes the membership, every assignment in the org and the org's API tokens", async () => {
    const userId = await ensureUser(t.db, "leaver@acme.example", "Lee Ver", PASSWORD);
    await bind(t.db, userId, "org-reader", { orgId: demo.acme.id });
    await bind(t.db, userId, "project-member", { orgId: demo.acme.id, projectId: demo.web.id });
    const scoped = await issueApiToken(t.db, userId, {
      name: "web",
      expiresInDays: 1,
      orgId: demo.acme.id,
      projectId: demo.web.id,
    });
    const { ctx, caller: admin } = await session(t.db, "admin@acme.example");
    expect(await admin.iam.removeUser({ org: "acme", userId })).toEqual({
      bindingsRemoved: 2,
      tokensRevoked: 1,
    });
    expect((await successEvents(t.db, ctx.requestId)).map((e) => e.action)).toEqual(["iam.user.remove"]);
    expect(
      await t.db
        .select()
        .from(memberships)
        .where(and(eq(memberships.userId, userId), eq(memberships.orgId, demo.acme.id))),
    ).toEqual([]);
    expect(await t.db.select().from(roleBindings).where(eq(roleBindings.userId, userId))).toEqual([]);
    expect(await principalFromToken(t.db, scoped.token)).toBeNull();
    const leaver = await callerFor(t.db, "leaver@acme.example");
    expect(await failure(leaver.resourcemanager.listProjects({ org: "acme", limit: 5 }))).toMatchObject({
      code: "NOT_FOUND",
    });
  });

  it.each([
    [
      "admin@acme.example",
      "admin@acme.example",
      "CONFLICT",
      "You cannot remove yourself from acme: ask another admin",
    ],
    [
      "ops@cirrus.example",
      "admin@acme.example",
      "CONFLICT",
      "admin@acme.example is the last organisation admin of acme: make someone else an admin before you remove them",
    ],
    [
      "viewer@acme.example",
      "dev@acme.example",
      "FORBIDDEN",
      "You do not have the permission iam.user.remove here",
    ],
  ])("as %s, removing %s is %s", async (as, who, code, message) => {
    const caller = await callerFor(t.db, as);
    expect(await failure(caller.iam.removeUser({ org: "acme", userId: who }))).toMatchObject({
      code,
      message,
    });
  });

  it("writes a denial event for a refused call and no success event", async () => {
    const { ctx, caller } = await session(t.db, "viewer@acme.example");
    await failure(caller.iam.removeUser({ org: "acme", userId: "dev@acme.example" }));
    expect(await successEvents(t.db, ctx.requestId)).toEqual([]);
    const [row] = await t.db.execute<{ outcome: string; action: string }>(
      sql`select outcome, action from audit_events where request_id = ${ctx.requestId}`,
    );
    expect(row).toMatchObject({ outcome: "denied", action: "iam.user.remove" });
  });
});
