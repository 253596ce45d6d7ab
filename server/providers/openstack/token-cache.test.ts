import { describe, expect, it } from "vitest";
import { TokenCache, type ExpiringToken } from "./token-cache";

const MIN = 60_000;

function setup(lifetimeMs = 60 * MIN) {
  let now = 1_000_000;
  let issued = 0;
  const gates: Array<() => void> = [];
  let gated = false;
  const cache = new TokenCache<ExpiringToken>(
    async (key) => {
      issued++;
      const n = issued;
      if (gated) await new Promise<void>((resolve) => gates.push(resolve));
      return { value: `${key}-${n}`, expiresAt: now + lifetimeMs };
    },
    { now: () => now },
  );
  return {
    cache,
    issued: () => issued,
    advance: (ms: number) => {
      now += ms;
    },
    gate: (on: boolean) => {
      gated = on;
    },
    release: () => gates.splice(0).forEach((g) => g()),
  };
}

describe("TokenCache", () => {
  it("issues once and reuses the token while it has more than 5 minutes left", async () => {
    const t = setup();
    expect((await t.cache.get("r|p")).value).toBe("r|p-1");
    t.advance(50 * MIN);
    expect((await t.cache.get("r|p")).value).toBe("r|p-1");
    expect(t.issued()).toBe(1);
  });

  it("shares one auth request between concurrent callers", async () => {
    const t = setup();
    t.gate(true);
    const all = Promise.all([t.cache.get("k"), t.cache.get("k"), t.cache.get("k")]);
    await Promise.resolve();
    t.release();
    const tokens = await all;
    expect(new Set(tokens.map((x) => x.value))).toEqual(new Set(["k-1"]));
    expect(t.issued()).toBe(1);
  });

  it("keys tokens by scope", async () => {
    const t = setup();
    await t.cache.get("r|project:a");
    await t.cache.get("r|project:b");
    expect(t.issued()).toBe(2);
  });

  it("renews in the background inside the window, handing out the still-valid token meanwhile", async () => {
    const t = setup();
    await t.cache.get("k");
    t.advance(56 * MIN); // 4 minutes left
    t.gate(true);
    const during = await t.cache.get("k");
    expect(during.value).toBe("k-1");
    expect(t.issued()).toBe(2);
    // a second caller during the renewal joins it instead of starting another
    expect((await t.cache.get("k")).value).toBe("k-1");
    expect(t.issued()).toBe(2);
    t.release();
    await t.cache.renew("k");
    expect((await t.cache.get("k")).value).toBe("k-2");
  });

  it("waits for a new token when the current one is about to expire", async () => {
    const t = setup();
    await t.cache.get("k");
    t.advance(60 * MIN - 10_000); // 10 s left: too close to hand out
    expect((await t.cache.get("k")).value).toBe("k-2");
  });

  it("drops a refused token only if it is still the cached one", async () => {
    const t = setup();
    const first = await t.cache.get("k");
    t.cache.invalidate("k", "some-older-token");
    expect((await t.cache.get("k")).value).toBe(first.value);
    t.cache.invalidate("k", first.value);
    expect((await t.cache.get("k")).value).toBe("k-2");
  });

  it("lets the next caller retry after a failed issue", async () => {
    let fail = true;
    const cache = new TokenCache<ExpiringToken>(async () => {
      if (fail) throw new Error("keystone down");
      return { value: "ok", expiresAt: Date.now() + 3_600_000 };
    });
    await expect(cache.get("k")).rejects.toThrow("keystone down");
    fail = false;
    expect((await cache.get("k")).value).toBe("ok");
  });
});
