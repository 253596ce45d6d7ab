// The OpenAPI 3.1 document, generated from the same procedures as the REST routes, with errors
// described as RFC 9457 problems; and a self-contained HTML reference of it (no CDN).
import { generateOpenApiDocument, type OpenApiRouter } from "trpc-to-openapi";
import { appRouter } from "@/server/routers/_app";
import { listProcedures } from "@/server/routers/introspect";
import type { Meta } from "@/server/trpc";

type Doc = ReturnType<typeof generateOpenApiDocument>;
let cached: Doc | null = null;

const problemSchema = {
  type: "object",
  required: ["type", "title", "status", "detail", "code"],
  properties: {
    type: { type: "string", format: "uri" },
    title: { type: "string" },
    status: { type: "integer" },
    detail: { type: "string" },
    code: {
      type: "string",
      enum: [
        "INVALID_INPUT",
        "UNAUTHENTICATED",
        "FORBIDDEN",
        "NOT_FOUND",
        "CONFLICT",
        "PRECONDITION_FAILED",
        "QUOTA_EXCEEDED",
        "RATE_LIMITED",
        "UPSTREAM_ERROR",
        "UPSTREAM_UNAVAILABLE",
        "UPSTREAM_TIMEOUT",
        "INTERNAL",
      ],
    },
    instance: { type: "string" },
    requestId: { type: "string" },
    field: { type: "string", description: "The input field at fault" },
    details: { type: "object" },
  },
};

export function openApiDocument(): Doc {
  if (cached) return cached;
  const doc = generateOpenApiDocument(appRouter as unknown as OpenApiRouter, {
    title: "Cirrus API",
    description:
      "Self-service cloud portal API. Authenticate with `Authorization: Bearer <token>` (POST /common/v1/auth/tokens). Lists answer `{ items, nextCursor }`; errors are RFC 9457 problem documents; creates honour `Idempotency-Key`.",
    version: "1.0.0",
    baseUrl: "/api",
    tags: [
      "common",
      "organizations",
      "projects",
      "compute",
      "network",
      "storage",
      "iam",
      "quotas",
      "audit",
      "jobs",
      "ops",
    ],
  });
  const byPath = new Map<string, Meta>();
  for (const { meta: m } of listProcedures()) {
    if (m?.openapi) byPath.set(`${m.openapi.method.toLowerCase()} ${m.openapi.path}`, m);
  }
  const components = (doc.components ??= {});
  (components.schemas ??= {})["Problem"] = problemSchema as never;
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const [method, op] of Object.entries(item as Record<string, Record<string, unknown>>)) {
      if (!op || typeof op !== "object" || !("responses" in op)) continue;
      const meta = byPath.get(`${method} ${path}`);
      const responses = op.responses as Record<string, Record<string, unknown>>;
      const ok = responses["200"];
      if (meta?.successStatus && ok && meta.successStatus !== 200) {
        responses[String(meta.successStatus)] = ok;
        delete responses["200"];
      }
      for (const [status, r] of Object.entries(responses)) {
        if (Number(status) >= 400)
          r.content = { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } };
      }
      if (meta?.idempotent) {
        op.parameters = [
          ...((op.parameters as unknown[]) ?? []),
          {
            name: "Idempotency-Key",
            in: "header",
            required: false,
            description: "Same key and body answer the same result; same key with another body is a 409.",
            schema: { type: "string", maxLength: 255 },
          },
        ];
      }
      op["x-permission"] = meta?.permission;
    }
  }
  // The image data route streams its body (server/http/image-upload.ts), outside the JSON adapter.
  (doc.paths ??= {})["/tenant/v1/projects/{project}/images/{id}/file"] = {
    put: {
      operationId: "compute-uploadImageData",
      summary: "Upload an image's data (the image must be the project's own and queued)",
      tags: ["compute"],
      "x-permission": "compute.image.create",
      parameters: [
        { name: "project", in: "path", required: true, schema: { type: "string" } },
        { name: "id", in: "path", required: true, schema: { type: "string", format: "uuid" } },
      ],
      requestBody: {
        required: true,
        content: { "application/octet-stream": { schema: { type: "string", format: "binary" } } },
      },
      responses: {
        "200": {
          description: "Uploaded; Glance makes the image active",
          content: { "application/json": { schema: { type: "object" } } },
        },
        default: {
          description: "Error",
          content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } },
        },
      },
    },
  } as never;
  cached = doc;
  return doc;
}

const text = (s: unknown): string => (typeof s === "string" ? s : s == null ? "" : JSON.stringify(s));
const esc = (s: unknown) =>
  text(s).replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!,
  );

/** A plain, readable reference page rendered on the server from the document. */
export function docsHtml(): string {
  const doc = openApiDocument();
  const rows: string[] = [];
  const byTag = new Map<string, string[]>();
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const [method, raw] of Object.entries(item as Record<string, Record<string, unknown>>)) {
      if (!raw || typeof raw !== "object" || !("responses" in raw)) continue;
      const tag = ((raw.tags as string[] | undefined) ?? ["other"])[0]!;
      const params = (
        (raw.parameters as { name: string; in: string; required?: boolean; description?: string }[]) ?? []
      )
        .map(
          (p) =>
            `<li><code>${esc(p.name)}</code> <span class="in">${esc(p.in)}${p.required ? ", required" : ""}</span> ${esc(p.description)}</li>`,
        )
        .join("");
      const body = (raw.requestBody as { content?: Record<string, { schema?: unknown }> } | undefined)
        ?.content?.["application/json"]?.schema;
      const statuses = Object.keys(raw.responses as object).join(" · ");
      const html = `<section class="op" id="${esc(method + path)}"><h3><span class="m ${esc(method)}">${esc(method.toUpperCase())}</span> <code>/api${esc(path)}</code></h3>
<p>${esc(raw.summary)} <span class="perm">permission: <code>${esc(raw["x-permission"])}</code></span></p>
${params ? `<h4>Parameters</h4><ul>${params}</ul>` : ""}
${body ? `<details><summary>Request body schema</summary><pre>${esc(JSON.stringify(body, null, 2))}</pre></details>` : ""}
<p class="st">Responses: ${esc(statuses)}</p></section>`;
      const list = byTag.get(tag) ?? [];
      list.push(html);
      byTag.set(tag, list);
    }
  }
  for (const [tag, ops] of byTag) rows.push(`<h2 id="tag-${esc(tag)}">${esc(tag)}</h2>${ops.join("")}`);
  const toc = [...byTag.keys()].map((t) => `<a href="#tag-${esc(t)}">${esc(t)}</a>`).join("");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Cirrus API reference</title><style>
:root{color-scheme:light dark;--bg:#fff;--fg:#0f172a;--muted:#64748b;--line:#e2e8f0;--card:#f8fafc}
@media (prefers-color-scheme:dark){:root{--bg:#0b1120;--fg:#e2e8f0;--muted:#94a3b8;--line:#1e293b;--card:#0f172a}}
body{margin:0;font:14px/1.5 system-ui,sans-serif;background:var(--bg);color:var(--fg)}
header{padding:24px 32px;border-bottom:1px solid var(--line)}main{max-width:960px;margin:0 auto;padding:16px 32px}
nav a{margin-right:12px;color:inherit}h2{margin-top:32px;text-transform:capitalize}
.op{border:1px solid var(--line);background:var(--card);border-radius:8px;padding:12px 16px;margin:12px 0}
.op h3{margin:0;font-size:14px}.m{display:inline-block;min-width:58px;text-align:center;border-radius:4px;padding:1px 6px;color:#fff;font-size:12px}
.get{background:#2563eb}.post{background:#16a34a}.put,.patch{background:#d97706}.delete{background:#dc2626}
.perm,.in,.st{color:var(--muted)}pre{overflow:auto;font-size:12px}code{font-family:ui-monospace,monospace}
</style></head><body><header><h1>Cirrus API reference</h1><p>${esc(doc.info.description)}</p>
<p>Machine-readable: <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI 3.1)</p><nav>${toc}</nav></header><main>${rows.join("")}</main></body></html>`;
}
