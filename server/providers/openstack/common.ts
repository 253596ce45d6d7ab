// Shared pieces of the service modules: job-id tagging (so a retried step finds what its first
// attempt created), polling until a resource settles, and small schema helpers.
import { z } from "zod";
import { AppError } from "../../errors";

/** Metadata/property key carrying the id of the job that created a resource. */
export const JOB_ID_KEY = "cirrus_job_id";

/** Tag form of the job id for services with tags (Nova ≥ 2.26, Neutron, Glance). */
export function jobTag(jobId: string): string {
  return `cirrus-job:${jobId}`;
}

/** Options every create accepts. */
export interface CreateMeta {
  /** Id of the portal job; stored on the resource so a retry can find it. */
  jobId?: string;
}

/** Nova's `name` filter is a regular expression: anchor and escape for an exact match. */
export function exactNameRegex(name: string): string {
  return `^${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`;
}

export const metadataSchema = z.record(z.string(), z.string());

export interface PollOptions {
  timeoutMs?: number;
  intervalMs?: number;
  signal?: AbortSignal;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason instanceof Error ? signal.reason : new Error("aborted"));
      return;
    }
    const t = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal?.reason instanceof Error ? signal.reason : new Error("aborted"));
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * Polls `read` until `done` says so. `failed` returns a message when the resource reached a
 * state it will not leave (ERROR); that message becomes an UPSTREAM_ERROR.
 */
export async function pollUntil<T>(
  what: string,
  read: () => Promise<T>,
  done: (v: T) => boolean,
  failed: (v: T) => string | undefined,
  opts: PollOptions = {},
): Promise<T> {
  const timeoutMs = opts.timeoutMs ?? 300_000;
  let interval = opts.intervalMs ?? 1_000;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (done(v)) return v;
    const failure = failed(v);
    if (failure !== undefined)
      throw new AppError("UPSTREAM_ERROR", `${what}: ${failure}`, { details: { state: describe(v) } });
    if (Date.now() + interval > deadline) {
      throw new AppError(
        "UPSTREAM_TIMEOUT",
        `${what} did not settle within ${Math.round(timeoutMs / 1000)} s`,
        {
          details: { state: describe(v) },
          transient: true,
        },
      );
    }
    await sleep(interval, opts.signal);
    // back off gently: fast first answers for quick transitions, fewer calls for slow ones
    interval = Math.min(interval * 1.5, Math.max(opts.intervalMs ?? 1_000, 5_000));
  }
}

function describe(v: unknown): unknown {
  if (typeof v !== "object" || v === null) return v;
  const o = v as Record<string, unknown>;
  return { id: o.id, status: o.status, task_state: o["OS-EXT-STS:task_state"] };
}

/** Resolves to undefined instead of throwing NOT_FOUND (for deletes that may already be done). */
export async function ignoreNotFound<T>(p: Promise<T>): Promise<T | undefined> {
  try {
    return await p;
  } catch (e) {
    if (e instanceof AppError && e.code === "NOT_FOUND") return undefined;
    throw e;
  }
}
