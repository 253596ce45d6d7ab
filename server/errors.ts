// The one error type of the backend. Every failure a user can see is an AppError with a
// closed code; the code maps once to a tRPC code, an HTTP status and an RFC 9457 problem.
import { TRPCError } from "@trpc/server";

export const appErrorCodes = {
  INVALID_INPUT: { status: 400, trpc: "BAD_REQUEST", title: "Invalid input" },
  UNAUTHENTICATED: { status: 401, trpc: "UNAUTHORIZED", title: "Authentication required" },
  FORBIDDEN: { status: 403, trpc: "FORBIDDEN", title: "Permission denied" },
  NOT_FOUND: { status: 404, trpc: "NOT_FOUND", title: "Not found" },
  CONFLICT: { status: 409, trpc: "CONFLICT", title: "Conflict" },
  PRECONDITION_FAILED: { status: 412, trpc: "PRECONDITION_FAILED", title: "Precondition failed" },
  QUOTA_EXCEEDED: { status: 422, trpc: "UNPROCESSABLE_CONTENT", title: "Quota exceeded" },
  RATE_LIMITED: { status: 429, trpc: "TOO_MANY_REQUESTS", title: "Too many requests" },
  UPSTREAM_ERROR: { status: 502, trpc: "BAD_GATEWAY", title: "Upstream error" },
  UPSTREAM_UNAVAILABLE: { status: 503, trpc: "SERVICE_UNAVAILABLE", title: "Upstream unavailable" },
  UPSTREAM_TIMEOUT: { status: 504, trpc: "GATEWAY_TIMEOUT", title: "Upstream timeout" },
  INTERNAL: { status: 500, trpc: "INTERNAL_SERVER_ERROR", title: "Internal error" },
} as const;

export type AppErrorCode = keyof typeof appErrorCodes;

export interface AppErrorOptions {
  /** Field path for INVALID_INPUT, e.g. "limits.instances". */
  field?: string;
  /** Machine-readable extra detail that is safe to show (never secrets). */
  details?: Record<string, unknown>;
  /** Transient errors may be retried by jobs and idempotent provider calls. */
  transient?: boolean;
  cause?: unknown;
}

export class AppError extends Error {
  readonly code: AppErrorCode;
  readonly field: string | undefined;
  readonly details: Record<string, unknown> | undefined;
  readonly transient: boolean;

  constructor(code: AppErrorCode, message: string, opts: AppErrorOptions = {}) {
    super(message, { cause: opts.cause });
    this.name = "AppError";
    this.code = code;
    this.field = opts.field;
    this.details = opts.details;
    this.transient =
      opts.transient ??
      (code === "UPSTREAM_UNAVAILABLE" || code === "UPSTREAM_TIMEOUT" || code === "RATE_LIMITED");
  }

  get status(): number {
    return appErrorCodes[this.code].status;
  }

  toTRPC(): TRPCError {
    return new TRPCError({ code: appErrorCodes[this.code].trpc, message: this.message, cause: this });
  }
}

export const notFound = (what: string) => new AppError("NOT_FOUND", `${what} not found`);
export const forbidden = (permission: string) =>
  new AppError("FORBIDDEN", `You do not have the permission ${permission}`, { details: { permission } });
export const invalid = (field: string, message: string) =>
  new AppError("INVALID_INPUT", `${field}: ${message}`, { field });

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}

/** RFC 9457 problem document. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: AppErrorCode;
  instance?: string;
  requestId?: string;
  field?: string;
  details?: Record<string, unknown>;
}

export function toProblem(err: AppError, requestId?: string, instance?: string): Problem {
  const meta = appErrorCodes[err.code];
  return {
    type: `https://cirrus.dev/problems/${err.code.toLowerCase().replaceAll("_", "-")}`,
    title: meta.title,
    status: meta.status,
    detail: err.message,
    code: err.code,
    ...(instance ? { instance } : {}),
    ...(requestId ? { requestId } : {}),
    ...(err.field ? { field: err.field } : {}),
    ...(err.details ? { details: err.details } : {}),
  };
}

/** Anything that is not an AppError becomes a generic INTERNAL error; the caller logs the cause. */
export function toAppError(e: unknown): AppError {
  if (e instanceof AppError) return e;
  if (e instanceof TRPCError && e.cause instanceof AppError) return e.cause;
  return new AppError(
    "INTERNAL",
    "Something went wrong on our side. The request id identifies it in the logs.",
    {
      cause: e,
    },
  );
}
