// Authentication over HTTP: tokens, sessions, sign-out invalidating the session server-side, rate limit.
import { expect, test } from "@playwright/test";
import { bearer, DEMO_PASSWORD, tokenFor } from "../fixtures/api";
import { signIn } from "../fixtures/session";

test("a token from email + password authenticates REST calls", async ({ request }) => {
  const token = await tokenFor(request, "admin@acme.example");
  const me = await request.get("/api/common/v1/me", { headers: bearer(token) });
  expect(me.status()).toBe(200);
  const body = (await me.json()) as {
    email: string;
    memberships: { org: { slug: string }; permissions: string[] }[];
  };
  expect(body.email).toBe("admin@acme.example");
  expect(body.memberships.find((m) => m.org.slug === "acme")?.permissions).toContain(
    "resourcemanager.project.create",
  );
});

test("wrong credentials and bad tokens are 401 problem documents", async ({ request }) => {
  const bad = await request.post("/api/common/v1/auth/tokens", {
    data: { email: "admin@acme.example", password: "nope" },
  });
  expect(bad.status()).toBe(401);
  expect(bad.headers()["content-type"]).toContain("application/problem+json");
  expect(await bad.json()).toMatchObject({
    status: 401,
    code: "UNAUTHENTICATED",
    detail: "The email or password is wrong",
  });
  const forged = await request.get("/api/common/v1/me", { headers: bearer("cirrus_forged") });
  expect(forged.status()).toBe(401);
  expect(await forged.json()).toMatchObject({ detail: "The API token is invalid, expired or revoked" });
});

test("bad input names the field", async ({ request }) => {
  const res = await request.post("/api/common/v1/auth/tokens", {
    data: { email: "not-an-email", password: DEMO_PASSWORD },
  });
  expect(res.status()).toBe(400);
  expect(await res.json()).toMatchObject({ code: "INVALID_INPUT", field: "email" });
});

test("sign-out invalidates the session on the server", async ({ page }) => {
  await signIn(page, "viewer@acme.example");
  const cookies = await page.context().cookies();
  expect((await page.request.get("/api/common/v1/me")).status()).toBe(200);
  const csrf = ((await (await page.request.get("/api/auth/csrf")).json()) as { csrfToken: string }).csrfToken;
  await page.request.post("/api/auth/signout", { form: { csrfToken: csrf } });
  // Replaying the old cookie must not work: the session row is revoked, not just the cookie dropped.
  const replay = await page.context().browser()!.newContext({ baseURL: test.info().project.use.baseURL });
  await replay.addCookies(cookies);
  expect((await replay.request.get("/api/common/v1/me")).status()).toBe(401);
  await replay.close();
});
