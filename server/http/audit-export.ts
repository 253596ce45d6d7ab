// GET /api/tenant/v1/organizations/{org}/audit-events/export?format=csv|json&<list filters>:
// the activity log as a streamed download. The audit.exportEvents procedure does the checks and
// produces the chunks; this writes them out with backpressure and stops when the client leaves.
import type { IncomingMessage, ServerResponse } from "node:http";
import { getDb } from "@/db/client";
import { createContext } from "@/server/context";
import { AppError, toProblem } from "@/server/errors";
import { log } from "@/server/log";
import { appRouter } from "@/server/routers/_app";
import type { ExportMessage } from "@/server/routers/audit/export-events";
import { restError } from "./rest";

const PATH = /^\/api\/tenant\/v1\/organizations\/([^/]+)\/audit-events\/export\/?$/i;

export function isAuditExport(url: string): boolean {
  return PATH.test(new URL(url, "http://localhost").pathname);
}

function problem(res: ServerResponse, err: AppError, requestId: string, instance: string): void {
  res.statusCode = err.status;
  res.setHeader("Content-Type", "application/problem+json");
  res.setHeader("X-Request-Id", requestId);
  res.setHeader("Cache-Control", "no-store");
  res.end(JSON.stringify(toProblem(err, requestId, instance)));
}

/** Waits for the socket to drain (or for the client to leave) when its buffer is full. */
async function write(res: ServerResponse, text: string): Promise<void> {
  if (res.write(text)) return;
  await new Promise<void>((resolve) => {
    const done = () => {
      res.off("drain", done);
      res.off("close", done);
      resolve();
    };
    res.once("drain", done);
    res.once("close", done);
  });
}

export async function handleAuditExport(req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    await serve(req, res);
  } catch (e) {
    // Only reached when the context could not be built (the database is down, say).
    log.error("audit export failed", { error: e });
    if (!res.headersSent) {
      problem(
        res,
        new AppError("INTERNAL", "The export could not start"),
        crypto.randomUUID(),
        req.url ?? "",
      );
    } else res.destroy();
  }
}

async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? "/", "http://localhost");
  const ctx = await createContext(req, getDb());
  const method = (req.method ?? "GET").toUpperCase();
  if (method !== "GET") {
    res.setHeader("Allow", "GET");
    return problem(
      res,
      new AppError("INVALID_INPUT", `${method} is not allowed here; use GET`),
      ctx.requestId,
      url.pathname,
    );
  }
  const org = decodeURIComponent(PATH.exec(url.pathname)?.[1] ?? "");
  const input: Record<string, string> = {};
  for (const [k, v] of url.searchParams) input[k] = v;
  input.org = org;

  let stream: AsyncIterable<ExportMessage>;
  let first: IteratorResult<ExportMessage>;
  let iterator: AsyncIterator<ExportMessage>;
  try {
    const caller = appRouter.createCaller(ctx);
    // Query strings are untyped: the procedure's own input schema validates them.
    const args = input as unknown as Parameters<typeof caller.audit.exportEvents>[0];
    stream = (await caller.audit.exportEvents(args)) as AsyncIterable<ExportMessage>;
    iterator = stream[Symbol.asyncIterator]();
    // The first value comes after the checks and the count: errors up to here are clean problems.
    first = await iterator.next();
  } catch (e) {
    const err = restError(e);
    if (err.code === "INTERNAL") log.error("audit export failed", { requestId: ctx.requestId, error: e });
    return problem(res, err, ctx.requestId, url.pathname);
  }
  if (first.done || first.value.kind !== "plan") {
    return problem(res, new AppError("INTERNAL", "The export produced no file"), ctx.requestId, url.pathname);
  }
  const { plan } = first.value;
  res.statusCode = 200;
  res.setHeader("Content-Type", plan.contentType);
  res.setHeader("Content-Disposition", `attachment; filename="${plan.filename}"`);
  res.setHeader("Cache-Control", "no-store");
  res.setHeader("X-Request-Id", ctx.requestId);
  res.setHeader("X-Export-Rows", String(plan.rows));
  res.setHeader("X-Export-Truncated", String(plan.truncated));
  res.setHeader("X-Export-Limit", String(plan.limit));
  res.setHeader(
    "Access-Control-Expose-Headers",
    "Content-Disposition, X-Export-Rows, X-Export-Truncated, X-Export-Limit",
  );

  let gone = false;
  res.on("close", () => {
    gone = !res.writableFinished;
  });
  try {
    for (;;) {
      if (gone) break;
      const next = await iterator.next();
      if (next.done) break;
      if (next.value.kind === "chunk") await write(res, next.value.text);
    }
    if (gone) await iterator.return?.();
    res.end();
  } catch (e) {
    // Headers are gone: cut the connection so the client sees a failed download, not a short file.
    log.error("audit export broke off", { requestId: ctx.requestId, error: e });
    await iterator.return?.().catch(() => undefined);
    res.destroy(e instanceof Error ? e : undefined);
  }
}
