import { describe, expect, it } from "vitest";
import { AppError } from "../../errors";
import { Resilience, backoffDelay, defaultTiming } from "./resilience";

const timing = { ...defaultTiming, initialDelayMs: 100, maxDelayMs: 1_000 };
const info = { service: "compute", method: "GET", path: "/servers" };
const unavailable = () =>
  new AppError("UPSTREAM_UNAVAILABLE", "down", { details: { service: "compute", status: 503 } });

describe("backoffDelay", () => {
  it("grows exponentially with half jitter and stays under the cap", () => {
    expect(backoffDelay(1, timing, undefined, () => 0)).toBe(50);
    expect(backoffDelay(1, timing, undefined, () => 1)).toBe(100);
    expect(backoffDelay(3, timing, undefined, () => 1)).toBe(400);
    expect(backoffDelay(10, timing, undefined, () => 1)).toBe(1_000);
    expect(backoffDelay(10, timing, undefined, () => 0)).toBe(500);
  });

  it("waits at least Retry-After, capped", () => {
    const limited = (s: string) => new AppError("RATE_LIMITED", "slow down", { details: { retryAfter: s } });
    expect(backoffDelay(1, timing, limited("0"), () => 0)).toBe(50);
    expect(backoffDelay(1, timing, limited("1"), () => 0)).toBe(1_000);
    expect(backoffDelay(1, timing, limited("120"), () => 0)).toBe(1_000);
  });
});

describe("Resilience.run", () => {
  const fast = { maxRetries: 3, initialDelayMs: 1, maxDelayMs: 2, breakerThreshold: 100 };

  it("retries transient errors of idempotent calls", async () => {
    const r = new Resilience(fast);
    let n = 0;
    const v = await r.run(
      async () => {
        if (++n < 3) throw unavailable();
        return "ok";
      },
      { info, endpointKey: "compute@h", idempotent: true },
    );
    expect(v).toBe("ok");
    expect(n).toBe(3);
  });

  it("does not retry non-idempotent calls or permanent errors", async () => {
    const r = new Resilience(fast);
    let n = 0;
    await expect(
      r.run(
        async () => {
          n++;
          throw unavailable();
        },
        { info, endpointKey: "compute@h", idempotent: false },
      ),
    ).rejects.toMatchObject({ code: "UPSTREAM_UNAVAILABLE" });
    expect(n).toBe(1);
    n = 0;
    await expect(
      r.run(
        async () => {
          n++;
          throw new AppError("INVALID_INPUT", "bad");
        },
        { info, endpointKey: "compute@h", idempotent: true },
      ),
    ).rejects.toMatchObject({ code: "INVALID_INPUT" });
    expect(n).toBe(1);
  });

  it("times out an attempt and reports UPSTREAM_TIMEOUT", async () => {
    const r = new Resilience({ ...fast, maxRetries: 0, timeoutMs: 20 });
    await expect(
      r.run(
        (signal) =>
          new Promise((resolve) => {
            const t = setTimeout(resolve, 500);
            signal.addEventListener("abort", () => clearTimeout(t));
          }),
        { info, endpointKey: "compute@h", idempotent: true },
      ),
    ).rejects.toMatchObject({ code: "UPSTREAM_TIMEOUT", transient: true });
  });

  it("keeps one breaker per endpoint key", async () => {
    const r = new Resilience({ ...fast, maxRetries: 0, breakerThreshold: 2, breakerHalfOpenAfterMs: 10_000 });
    for (let i = 0; i < 2; i++)
      await expect(
        r.run(
          async () => {
            throw unavailable();
          },
          { info, endpointKey: "compute@a", idempotent: true },
        ),
      ).rejects.toThrow();
    let called = false;
    await expect(
      r.run(
        async () => {
          called = true;
        },
        { info, endpointKey: "compute@a", idempotent: true },
      ),
    ).rejects.toMatchObject({ details: { circuit: "open" } });
    expect(called).toBe(false);
    await r.run(
      async () => {
        called = true;
      },
      { info, endpointKey: "compute@b", idempotent: true },
    );
    expect(called).toBe(true);
    expect(r.breakerStates()).toEqual({ "compute@a": "open", "compute@b": "closed" });
  });
});
