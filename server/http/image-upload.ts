// PUT /api/tenant/v1/projects/{project}/images/{id}/file: streams an image's data to Glance.
// The compute.startImageUpload procedure does the checks and writes the audit event; the body
// goes upstream as it arrives (never buffered whole), then the catalogue mirror is refreshed.
import { Readable } from "node:stream";
import type { IncomingMessage, ServerResponse } from "node:http";
import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { resources } from "@/db/schema";
import { createContext } from "@/server/context";
import { AppError, toProblem } from "@/server/errors";
import { log } from "@/server/log";
import { getOpenStack } from "@/server/providers/openstack/client";
import { appRouter } from "@/server/routers/_app";
import { syncCatalog } from "@/server/services/compute/catalog";
import { loadProject } from "@/server/services/compute/upstream";
import { restError } from "./rest";

const PATH = /^\/api\/tenant\/v1\/projects\/([^/]+)\/images\/([0-9a-f-]{36})\/file\/?$/i;

export function isImageUpload(url: string): boolean {
  return PATH.test(new URL(url, "http://localhost").pathname);
}

function answer(
  res: ServerResponse,
  status: number,
  body: unknown,
  requestId: string,
  problem = false,
): void {
  res.statusCode = status;
  res.setHeader("Content-Type", problem ? "application/problem+json" : "application/json");
  res.setHeader("X-Request-Id", requestId);
  res.setHeader("Cache-Control", "no-store");
  res.end(JSON.stringify(body));
}

export async function handleImageUpload(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? "/", "http://localhost");
  let requestId: string = crypto.randomUUID();
  try {
    const ctx = await createContext(req, getDb());
    requestId = ctx.requestId;
    if ((req.method ?? "").toUpperCase() !== "PUT") {
      res.setHeader("Allow", "PUT");
      throw new AppError("INVALID_INPUT", `${req.method} is not allowed here; use PUT with the image data`);
    }
    const [, project, id] = PATH.exec(url.pathname)!;
    const length = req.headers["content-length"] ? Number(req.headers["content-length"]) : null;
    const caller = appRouter.createCaller(ctx);
    const org = url.searchParams.get("org");
    const target = await caller.compute.startImageUpload({
      ...(org ? { org } : {}),
      project: decodeURIComponent(project!),
      id: id!,
      bytes: Number.isFinite(length) ? length : null,
    });
    const image = getOpenStack().forProject(target.region, target.keystoneProjectId, { requestId }).image;
    await image.uploadImageData(target.glanceId, Readable.toWeb(req) as ReadableStream<Uint8Array>);
    const db = getDb();
    const [row] = await db
      .select({ projectId: resources.projectId })
      .from(resources)
      .where(eq(resources.id, id!));
    if (row) await syncCatalog(db, await loadProject(db, row.projectId), target.region, ["image"]);
    answer(res, 200, { id, name: target.name, uploaded: true }, requestId);
  } catch (e) {
    const err = restError(e);
    if (err.status >= 500) log.warn("image upload failed", { requestId, error: e });
    if (!res.headersSent) answer(res, err.status, toProblem(err, requestId, url.pathname), requestId, true);
    else res.destroy();
  }
}
