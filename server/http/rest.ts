// The REST API (/api/{tenant,ops,common}/v1): routes come from the procedures' openapi meta and
// call the same procedures, so authorisation, validation and audit are the tRPC ones. Errors are
// RFC 9457 problem+json; creates honour Idempotency-Key.
import type { IncomingMessage, ServerResponse } from "node:http";
import { TRPCError } from "@trpc/server";
import { ZodError } from "zod";
import { getDb } from "@/db/client";
import { createContext } from "@/server/context";
import { AppError, toAppError, toProblem } from "@/server/errors";
import { log } from "@/server/log";
import { appRouter } from "@/server/routers/_app";
import { listProcedures } from "@/server/routers/introspect";
import { formatZod, type Meta } from "@/server/trpc";
import { claimKey, completeKey, releaseKey, requestHash } from "./idempotency";

interface Route {
  method: string;
  pattern: RegExp;
  params: string[];
  procedurePath: string;
  type: "query" | "mutation" | "subscription";
  meta: Meta;
}

const TRPC_TO_APP: Record<string, AppError["code"]> = {
  BAD_REQUEST: "INVALID_INPUT",
  PARSE_ERROR: "INVALID_INPUT",
  UNAUTHORIZED: "UNAUTHENTICATED",
  FORBIDDEN: "FORBIDDEN",
  NOT_FOUND: "NOT_FOUND",
  CONFLICT: "CONFLICT",
  PRECONDITION_FAILED: "PRECONDITION_FAILED",
  TOO_MANY_REQUESTS: "RATE_LIMITED",
  UNPROCESSABLE_CONTENT: "QUOTA_EXCEEDED",
  PAYLOAD_TOO_LARGE: "INVALID_INPUT",
  UNSUPPORTED_MEDIA_TYPE: "INVALID_INPUT",
  METHOD_NOT_SUPPORTED: "INVALID_INPUT",
};

let routes: Route[] | null = null;

function buildRoutes(): Route[] {
  const out: Route[] = [];
  for (const { path: procedurePath, type, meta } of listProcedures()) {
    const openapi = meta?.openapi;
    if (!meta || !openapi || openapi.enabled === false) continue;
    const params: string[] = [];
    const source = openapi.path.replace(/\{(\w+)\}/g, (_m, name: string) => {
      params.push(name);
      return "([^/]+)";
    });
    out.push({
      method: openapi.method,
      pattern: new RegExp(`^/api${source}/?$`, "i"),
      params,
      procedurePath,
      type,
      meta,
    });
  }
  return out;
}

export function restRoutes(): Route[] {
  routes ??= buildRoutes();
  return routes;
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  requestId: string,
  contentType = "application/json",
): void {
  res.statusCode = status;
  res.setHeader("Content-Type", contentType);
  res.setHeader("X-Request-Id", requestId);
  res.setHeader("Cache-Control", "no-store");
  res.end(body === undefined ? "" : JSON.stringify(body));
}

function sendProblem(res: ServerResponse, err: AppError, requestId: string, instance: string): void {
  send(res, err.status, toProblem(err, requestId, instance), requestId, "application/problem+json");
}

/** Maps whatever a procedure threw to an AppError; zod input errors name the field. */
export function restError(e: unknown): AppError {
  if (e instanceof AppError) return e;
  if (e instanceof TRPCError) {
    if (e.cause instanceof AppError) return e.cause;
    if (e.cause instanceof ZodError) {
      return new AppError("INVALID_INPUT", formatZod(e.cause), { field: e.cause.issues[0]?.path.join(".") });
    }
    const code = TRPC_TO_APP[e.code];
    if (code) return new AppError(code, e.message);
  }
  return toAppError(e);
}

async function readJson(req: IncomingMessage, limit = 1_000_000): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new AppError("INVALID_INPUT", `The request body is larger than ${limit} bytes`);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  if (!text.trim()) return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError("INVALID_INPUT", "The request body is not valid JSON");
  }
}

function queryInput(url: URL): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(url.searchParams.keys())) {
    const all = url.searchParams.getAll(key);
    out[key] = all.length > 1 ? all : all[0]!;
  }
  return out;
}

export async function handleRest(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? "/", "http://localhost");
  const method = (req.method ?? "GET").toUpperCase();
  const candidates = restRoutes().filter((r) => r.pattern.test(url.pathname));
  const route = candidates.find((r) => r.method === method);
  const db = getDb();
  let ctx: Awaited<ReturnType<typeof createContext>> | null = null;
  const fallbackId = crypto.randomUUID();
  try {
    if (!route) {
      if (candidates.length > 0) {
        res.setHeader("Allow", candidates.map((c) => c.method).join(", "));
        throw new AppError(
          "INVALID_INPUT",
          `${method} is not allowed here; use ${candidates.map((c) => c.method).join(" or ")}`,
        );
      }
      throw new AppError("NOT_FOUND", `No API route ${method} ${url.pathname}`);
    }
    const match = route.pattern.exec(url.pathname)!;
    const pathParams = Object.fromEntries(route.params.map((p, i) => [p, decodeURIComponent(match[i + 1]!)]));
    let body: unknown = {};
    if (method === "POST" || method === "PUT" || method === "PATCH") {
      const ct = req.headers["content-type"] ?? "";
      // An action without parameters (POST .../suspend) may come with no body at all.
      const empty =
        req.headers["content-length"] === "0" || (!ct && req.headers["transfer-encoding"] === undefined);
      if (!empty && !ct.startsWith("application/json")) {
        const err = new AppError("INVALID_INPUT", "Send the body as application/json");
        return sendProblem(res, err, fallbackId, url.pathname);
      }
      body = empty ? {} : await readJson(req);
      if (body === null || typeof body !== "object" || Array.isArray(body)) {
        throw new AppError("INVALID_INPUT", "The request body must be a JSON object");
      }
    }
    const input = {
      ...(method === "GET" || method === "DELETE" ? queryInput(url) : (body as object)),
      ...pathParams,
    };
    ctx = await createContext(req, db);
    const status = route.meta.successStatus ?? 200;
    const key = route.meta.idempotent && ctx.idempotencyKey && ctx.principal ? ctx.idempotencyKey : null;
    const principal = ctx.principal ? (ctx.principal.tokenId ?? ctx.principal.userId) : "";
    if (key) {
      const claim = await claimKey(
        db,
        principal,
        key,
        route.procedurePath,
        requestHash(route.procedurePath, input),
      );
      if (claim.kind === "mismatch") {
        throw new AppError("CONFLICT", "This Idempotency-Key was already used with another request body", {
          field: "Idempotency-Key",
        });
      }
      if (claim.kind === "busy")
        throw new AppError("CONFLICT", "A request with this Idempotency-Key is still running; retry later");
      if (claim.kind === "replay") {
        res.setHeader("Idempotent-Replayed", "true");
        const replayStatus = claim.status;
        // the first answer's exact text, byte for byte
        res.statusCode = replayStatus;
        res.setHeader("Content-Type", replayStatus >= 400 ? "application/problem+json" : "application/json");
        res.setHeader("X-Request-Id", ctx.requestId);
        res.setHeader("Cache-Control", "no-store");
        res.end(claim.body);
        return;
      }
    }
    try {
      const caller = appRouter.createCaller(ctx);
      const fn = route.procedurePath
        .split(".")
        .reduce<unknown>((acc, part) => (acc as Record<string, unknown>)[part], caller) as (
        i: unknown,
      ) => Promise<unknown>;
      const data = await fn(input);
      const out = JSON.parse(JSON.stringify(data ?? null)) as unknown;
      if (key) await completeKey(db, principal, key, status, out);
      send(res, status, out, ctx.requestId);
    } catch (e) {
      const err = restError(e);
      if (key) {
        // Client errors are part of the answer and replay; server errors free the key for a retry.
        if (err.status < 500)
          await completeKey(db, principal, key, err.status, toProblem(err, ctx.requestId, url.pathname));
        else await releaseKey(db, principal, key);
      }
      throw err;
    }
  } catch (e) {
    const err = restError(e);
    if (err.code === "INTERNAL")
      log.error("REST request failed", { path: url.pathname, requestId: ctx?.requestId, error: e });
    sendProblem(res, err, ctx?.requestId ?? fallbackId, url.pathname);
  }
}
