import { describe, expect, it } from "vitest";
import { safeCallback, signInMessage } from "./sign-in";

describe("safeCallback", () => {
  it.each([
    [undefined, "/"],
    ["/acme/web", "/acme/web"],
    ["https://evil.example", "/"],
    ["//evil.example", "/"],
    ["/\\evil.example", "/"],
    ["/sign-in?callbackUrl=/x", "/"],
  ])("%s → %s", (raw, expected) => expect(safeCallback(raw)).toBe(expected));
});

describe("signInMessage", () => {
  it("tells a rate limit from wrong credentials", () => {
    expect(signInMessage("rate_limited", "CredentialsSignin")).toBe(
      "Too many attempts. Wait a few minutes, then try again.",
    );
    expect(signInMessage("invalid_credentials", "CredentialsSignin")).toBe("Wrong email or password.");
    expect(signInMessage(undefined, "CredentialsSignin")).toBe("Wrong email or password.");
    expect(signInMessage(undefined, "oidc_unknown_user")).toMatch(/no active Cirrus account/);
    expect(signInMessage(undefined, "Weird")).toBe("Sign-in failed. Try again.");
    expect(signInMessage(null, null)).toBeNull();
  });
});
