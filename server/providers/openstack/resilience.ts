// Retry, timeout and circuit-breaker policies (cockatiel) around each upstream call. Only
// idempotent calls retry; a breaker per endpoint (host + service) fails fast while it is open.
import {
  BrokenCircuitError,
  CircuitState,
  ConsecutiveBreaker,
  DelegateBackoff,
  TaskCancelledError,
  TimeoutStrategy,
  circuitBreaker,
  handleWhen,
  retry,
  timeout,
  type CircuitBreakerPolicy,
  type IRetryBackoffContext,
} from "cockatiel";
import { AppError } from "../../errors";
import { mapTransportError, wasNotSent, type UpstreamCallInfo } from "./upstream-errors";

export interface ResilienceTiming {
  /** Per-attempt timeout, covering the response body too. */
  timeoutMs: number;
  /** Retries after the first attempt (idempotent calls only). */
  maxRetries: number;
  initialDelayMs: number;
  maxDelayMs: number;
  /** Consecutive transient failures that open an endpoint's breaker. */
  breakerThreshold: number;
  /** How long an open breaker fails fast before letting one probe through. */
  breakerHalfOpenAfterMs: number;
}

export const defaultTiming: ResilienceTiming = {
  timeoutMs: 30_000,
  maxRetries: 3,
  initialDelayMs: 250,
  maxDelayMs: 8_000,
  breakerThreshold: 5,
  breakerHalfOpenAfterMs: 30_000,
};

export interface RunOptions {
  info: UpstreamCallInfo;
  /** Breaker key: one per endpoint (host + service). */
  endpointKey: string;
  idempotent: boolean;
  timeoutMs?: number;
  /** Caller's cancellation (e.g. the browser went away). */
  signal?: AbortSignal;
  onRetry?: (e: { attempt: number; delayMs: number; error: unknown }) => void;
}

const RETRYABLE = new Set(["UPSTREAM_UNAVAILABLE", "UPSTREAM_TIMEOUT", "RATE_LIMITED"]);

/** Failures that say the endpoint is unhealthy (not 4xx, not rate limiting). */
function countsAgainstBreaker(e: unknown): boolean {
  return (
    e instanceof AppError &&
    (e.code === "UPSTREAM_UNAVAILABLE" || e.code === "UPSTREAM_TIMEOUT") &&
    !e.details?.circuit
  );
}

/** Capped exponential backoff with half jitter; honours Retry-After up to the cap. */
export function backoffDelay(
  attempt: number,
  timing: ResilienceTiming,
  error?: unknown,
  random = Math.random,
): number {
  const base = Math.min(timing.maxDelayMs, timing.initialDelayMs * 2 ** Math.max(0, attempt - 1));
  let delay = base / 2 + (random() * base) / 2;
  const retryAfter = error instanceof AppError ? error.details?.retryAfter : undefined;
  if (typeof retryAfter === "string" && /^\d+$/.test(retryAfter)) {
    delay = Math.max(delay, Math.min(timing.maxDelayMs, Number(retryAfter) * 1000));
  }
  return Math.round(delay);
}

export class Resilience {
  readonly timing: ResilienceTiming;
  private readonly breakers = new Map<string, CircuitBreakerPolicy>();

  constructor(timing: Partial<ResilienceTiming> = {}) {
    this.timing = { ...defaultTiming, ...timing };
  }

  breaker(key: string): CircuitBreakerPolicy {
    let b = this.breakers.get(key);
    if (!b) {
      b = circuitBreaker(handleWhen(countsAgainstBreaker), {
        halfOpenAfter: this.timing.breakerHalfOpenAfterMs,
        breaker: new ConsecutiveBreaker(this.timing.breakerThreshold),
      });
      this.breakers.set(key, b);
    }
    return b;
  }

  /** Breaker states, for the health page. */
  breakerStates(): Record<string, "closed" | "open" | "half-open" | "isolated"> {
    const names = {
      [CircuitState.Closed]: "closed",
      [CircuitState.Open]: "open",
      [CircuitState.HalfOpen]: "half-open",
      [CircuitState.Isolated]: "isolated",
    } as const;
    return Object.fromEntries([...this.breakers].map(([k, b]) => [k, names[b.state]]));
  }

  /** Runs `attempt` under timeout → breaker → retry. `attempt` must throw AppError for HTTP failures. */
  async run<T>(
    attempt: (signal: AbortSignal, attemptNo: number) => Promise<T>,
    opts: RunOptions,
  ): Promise<T> {
    const timing = this.timing;
    const timeoutMs = opts.timeoutMs ?? timing.timeoutMs;
    const breaker = this.breaker(opts.endpointKey);
    const shouldRetry = (e: unknown): boolean =>
      e instanceof AppError &&
      RETRYABLE.has(e.code) &&
      !e.details?.circuit &&
      (opts.idempotent || wasNotSent(e));
    const retryPolicy = retry(handleWhen(shouldRetry), {
      maxAttempts: timing.maxRetries,
      backoff: new DelegateBackoff((ctx: IRetryBackoffContext<unknown>) =>
        backoffDelay(ctx.attempt, timing, "error" in ctx.result ? ctx.result.error : undefined),
      ),
    });
    if (opts.onRetry) {
      const onRetry = opts.onRetry;
      retryPolicy.onRetry((r) =>
        onRetry({ attempt: r.attempt, delayMs: r.delay, error: "error" in r ? r.error : undefined }),
      );
    }
    const timeoutPolicy = timeout(timeoutMs, TimeoutStrategy.Aggressive);
    try {
      return await retryPolicy.execute(
        ({ attempt: n, signal: retrySignal }) =>
          breaker.execute(async ({ signal: breakerSignal }) => {
            try {
              return await timeoutPolicy.execute(({ signal }) => attempt(signal, n), breakerSignal);
            } catch (e) {
              if (e instanceof TaskCancelledError && !opts.signal?.aborted) {
                throw mapTransportError(e, opts.info, { timedOut: true, timeoutMs });
              }
              throw e;
            }
          }, retrySignal),
        opts.signal,
      );
    } catch (e) {
      if (e instanceof BrokenCircuitError) {
        throw new AppError(
          "UPSTREAM_UNAVAILABLE",
          `The ${opts.info.service} service is failing; calls are paused for up to ${Math.round(timing.breakerHalfOpenAfterMs / 1000)} s`,
          {
            details: {
              service: opts.info.service,
              endpoint: opts.endpointKey,
              circuit: "open",
              ...(opts.info.region ? { region: opts.info.region } : {}),
            },
            transient: true,
            cause: e,
          },
        );
      }
      throw e;
    }
  }
}
