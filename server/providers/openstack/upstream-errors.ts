// Turns OpenStack error responses and transport failures into AppError, keeping the upstream
// message (each service wraps it differently) and the upstream request id for support.
import { AppError, type AppErrorCode } from "../../errors";

export interface UpstreamCallInfo {
  service: string;
  method: string;
  /** Path of the call (no query string: it may carry filters but never credentials). */
  path: string;
  region?: string;
}

export interface ParsedUpstreamBody {
  message?: string;
  /** Error type where the service names one (Neutron's `type`, Nova's wrapper key). */
  type?: string;
}

/**
 * Finds the human message in a service's error body: Nova/Cinder/Manila `{"itemNotFound":
 * {"message"}}`, Neutron `{"NeutronError": {"type","message"}}`, Keystone `{"error": {"message"}}`,
 * Octavia `{"faultstring"}`, Placement `{"errors": [{"detail"}]}`, Glance and webob text/html.
 */
export function parseUpstreamBody(text: string, contentType = ""): ParsedUpstreamBody {
  const trimmed = text.trim();
  if (trimmed === "") return {};
  if (contentType.includes("json") || trimmed.startsWith("{")) {
    try {
      const json = JSON.parse(trimmed) as unknown;
      if (typeof json === "string") return { message: json };
      // JSON without a message we know: nothing readable to show
      const parsed = fromJson(json);
      // Glance puts webob's HTML fragments (<br />) inside its JSON message
      if (parsed.message !== undefined) parsed.message = fromText(parsed.message) ?? parsed.message;
      return parsed;
    } catch {
      // not JSON after all: fall through to the text forms
    }
  }
  return { message: fromText(trimmed) };
}

function asRecord(v: unknown): Record<string, unknown> | undefined {
  return typeof v === "object" && v !== null && !Array.isArray(v)
    ? (v as Record<string, unknown>)
    : undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === "string" && v.trim() !== "" ? v.trim() : undefined;
}

function fromJson(body: unknown): ParsedUpstreamBody {
  const o = asRecord(body);
  if (!o) return {};
  const neutron = asRecord(o.NeutronError);
  if (neutron) {
    const message = str(neutron.message) ?? str(neutron.detail);
    return { ...(message ? { message } : {}), ...(str(neutron.type) ? { type: str(neutron.type) } : {}) };
  }
  if (Array.isArray(o.errors)) {
    const first = asRecord(o.errors[0]);
    const message = first ? (str(first.detail) ?? str(first.title)) : undefined;
    return message ? { message: fromText(message) } : {};
  }
  const faultstring = str(o.faultstring);
  if (faultstring) return { message: faultstring };
  const direct = str(o.message) ?? str(o.detail) ?? str(o.error_message);
  if (direct) return { message: direct };
  if (typeof o.error === "string") return { message: o.error };
  // Nova, Cinder, Manila and Keystone: one wrapper key ({"badRequest": {...}}, {"error": {...}})
  for (const [key, value] of Object.entries(o)) {
    const inner = asRecord(value);
    const message = inner ? (str(inner.message) ?? str(inner.detail) ?? str(inner.title)) : undefined;
    if (message) return { message, type: key === "error" ? (str(inner?.title) ?? key) : key };
  }
  return {};
}

/** Strips webob/Glance HTML (title and heading repeat the status) and the status line of plain text. */
function fromText(text: string): string | undefined {
  let t = text
    .replace(/<title>[\s\S]*?<\/title>/gi, " ")
    .replace(/<h1>[\s\S]*?<\/h1>/gi, " ")
    .replace(/<br\s*\/?>/gi, " ")
    // only HTML's own tags: Python messages may quote "<class 'str'>" and must keep it
    .replace(/<\/?(html|head|body|title|h\d|p|br|div|span|pre|b|i|a)\b[^>]*>/gi, " ");
  t = t
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&");
  // webob plain-text bodies start "400 Bad Request\n\n<generic sentence>\n\n<the real detail>"
  const paragraphs = t
    .split(/\n\s*\n/)
    .map((p) => p.replace(/\s+/g, " ").trim())
    .filter(Boolean);
  const withoutStatus = paragraphs.filter((p) => !/^\d{3} [A-Za-z ]+$/.test(p));
  const generic = /^The server could not comply with the request|^The resource could not be found\.$/;
  const specific = withoutStatus.filter((p) => !generic.test(p));
  const chosen = (
    specific.length > 0 ? specific : withoutStatus.length > 0 ? withoutStatus : paragraphs
  ).join(" ");
  const out = chosen.slice(0, 1000).trim();
  return out === "" ? undefined : out;
}

const QUOTA =
  /quota|over ?limit|limit ?exceeded|exceeds? (the )?(allowed|available)|maximum number of .* (allowed|exceeded)/i;
/** Conflicts that clear by themselves (a server mid-transition); jobs may retry them. */
// (vm_state conflicts are not: starting an ACTIVE server never succeeds however long one waits)
const TRANSIENT_CONFLICT = /task_state|in progress|try again|retry/i;

export interface MapResponseInput extends UpstreamCallInfo {
  status: number;
  body: string;
  contentType?: string;
  requestId?: string;
  retryAfter?: string | null;
}

/** An AppError for a non-2xx response. */
export function mapUpstreamResponse(input: MapResponseInput): AppError {
  const { status, service } = input;
  const parsed = parseUpstreamBody(input.body, input.contentType);
  const upstreamMessage = parsed.message;
  const details: Record<string, unknown> = {
    service,
    status,
    method: input.method,
    path: input.path,
    ...(input.region ? { region: input.region } : {}),
    ...(input.requestId ? { upstreamRequestId: input.requestId } : {}),
    ...(parsed.type ? { upstreamType: parsed.type } : {}),
  };
  const isQuota =
    (upstreamMessage !== undefined && QUOTA.test(upstreamMessage)) || parsed.type === "OverQuota";
  let code: AppErrorCode;
  let transient: boolean | undefined;
  if (status === 400 || status === 422) code = "INVALID_INPUT";
  else if (status === 401) code = "FORBIDDEN";
  else if (status === 403) code = isQuota ? "QUOTA_EXCEEDED" : "FORBIDDEN";
  else if (status === 404) code = "NOT_FOUND";
  else if (status === 408) code = "UPSTREAM_TIMEOUT";
  else if (status === 409) {
    code = isQuota ? "QUOTA_EXCEEDED" : "CONFLICT";
    transient =
      code === "CONFLICT" && upstreamMessage !== undefined && TRANSIENT_CONFLICT.test(upstreamMessage);
  } else if (status === 412) code = "PRECONDITION_FAILED";
  // Nova's legacy rate limiting answered 413 with Retry-After; Cinder and Glance use 413 for quota
  else if (status === 413) code = input.retryAfter && !isQuota ? "RATE_LIMITED" : "QUOTA_EXCEEDED";
  else if (status === 429) code = "RATE_LIMITED";
  else if (status === 501) code = "UPSTREAM_ERROR";
  else if (status === 504) code = "UPSTREAM_TIMEOUT";
  else if (status >= 500) code = "UPSTREAM_UNAVAILABLE";
  else code = "UPSTREAM_ERROR";
  if (input.retryAfter) details.retryAfter = input.retryAfter;
  const message = upstreamMessage ?? defaultMessage(code, service, status);
  return new AppError(code, message, { details, ...(transient !== undefined ? { transient } : {}) });
}

function defaultMessage(code: AppErrorCode, service: string, status: number): string {
  switch (code) {
    case "NOT_FOUND":
      return `The ${service} resource was not found`;
    case "FORBIDDEN":
      return `The ${service} service refused the request (HTTP ${status})`;
    case "UPSTREAM_UNAVAILABLE":
      return `The ${service} service is unavailable (HTTP ${status}); try again shortly`;
    case "UPSTREAM_TIMEOUT":
      return `The ${service} service timed out (HTTP ${status})`;
    default:
      return `The ${service} service answered HTTP ${status}`;
  }
}

/** Node/undici error codes meaning the request never reached the server: safe to retry any method. */
const NOT_SENT = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "UND_ERR_CONNECT_TIMEOUT",
]);

function errnoOf(e: unknown): string | undefined {
  for (let cur: unknown = e, depth = 0; cur && depth < 5; depth++) {
    const o = asRecord(cur);
    if (!o) return undefined;
    if (typeof o.code === "string" && /^[A-Z_]+$/.test(o.code)) return o.code;
    cur = o.cause;
  }
  return undefined;
}

/** An AppError for a failure below HTTP: refused, reset, DNS, TLS, or our own timeout. */
export function mapTransportError(
  e: unknown,
  info: UpstreamCallInfo,
  opts: { timedOut?: boolean; timeoutMs?: number } = {},
): AppError {
  const errno = errnoOf(e);
  const details: Record<string, unknown> = {
    service: info.service,
    method: info.method,
    path: info.path,
    ...(info.region ? { region: info.region } : {}),
    ...(errno ? { errno } : {}),
  };
  if (
    opts.timedOut ||
    errno === "UND_ERR_CONNECT_TIMEOUT" ||
    errno === "ETIMEDOUT" ||
    errno === "UND_ERR_HEADERS_TIMEOUT"
  ) {
    return new AppError(
      "UPSTREAM_TIMEOUT",
      `The ${info.service} service did not answer${opts.timeoutMs ? ` within ${Math.round(opts.timeoutMs / 1000)} s` : " in time"}`,
      { details, transient: true, cause: e },
    );
  }
  if (errno && /^(CERT_|UNABLE_TO_|DEPTH_ZERO|SELF_SIGNED|ERR_TLS)/.test(errno)) {
    return new AppError(
      "UPSTREAM_ERROR",
      `TLS verification of the ${info.service} endpoint failed (${errno})`,
      {
        details,
        transient: false,
        cause: e,
      },
    );
  }
  return new AppError(
    "UPSTREAM_UNAVAILABLE",
    `The ${info.service} service cannot be reached${errno ? ` (${errno})` : ""}`,
    {
      details,
      transient: true,
      cause: e,
    },
  );
}

/** True when the failed request certainly never reached the server (so even a POST may be resent). */
export function wasNotSent(e: AppError): boolean {
  const errno = e.details?.errno;
  return typeof errno === "string" && NOT_SENT.has(errno);
}
