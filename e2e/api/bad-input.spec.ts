// Every REST operation of the OpenAPI document, fed malformed input, must answer a 4xx
// problem+json (naming the field for invalid input), never a 5xx.
import { expect, test, type APIRequestContext } from "@playwright/test";
import { bearer, tokenFor } from "../fixtures/api";

interface Schema {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  enum?: unknown[];
  items?: Schema;
  anyOf?: Schema[];
}
interface Operation {
  parameters?: { name: string; in: string; required?: boolean; schema?: Schema }[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
}

/** A value of the wrong type for a schema. */
function wrong(schema: Schema | undefined): unknown {
  const t = Array.isArray(schema?.type) ? schema?.type[0] : schema?.type;
  if (schema?.enum) return "not-one-of-the-allowed-values";
  switch (t) {
    case "string":
      return { not: "a string" };
    case "number":
    case "integer":
      return "not-a-number";
    case "boolean":
      return "maybe";
    case "array":
      return "not-an-array";
    default:
      return 12345;
  }
}

let token = "";
test.beforeAll(async ({ request }) => {
  token = await tokenFor(request, "ops@cirrus.example");
});

async function expectClientError(request: APIRequestContext, method: string, url: string, data?: unknown) {
  const res = await request.fetch(url, {
    method,
    headers: { ...bearer(token), ...(data !== undefined ? { "content-type": "application/json" } : {}) },
    ...(data !== undefined ? { data: JSON.stringify(data) } : {}),
  });
  const label = `${method} ${url} ${data !== undefined ? JSON.stringify(data).slice(0, 120) : ""}`;
  expect(res.status(), `${label} → ${await res.text()}`).toBeGreaterThanOrEqual(400);
  expect(res.status(), `${label} → ${await res.text()}`).toBeLessThan(500);
  expect(res.headers()["content-type"], label).toContain("application/problem+json");
  const body = (await res.json()) as { code: string; field?: string; detail: string };
  expect(body.detail.length, label).toBeGreaterThan(0);
  return body;
}

test("malformed input never yields a 5xx", async ({ request }) => {
  const doc = (await (await request.get("/api/openapi.json")).json()) as {
    paths: Record<string, Record<string, Operation>>;
  };
  let checked = 0;
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const params = op.parameters ?? [];
      const pathParams = params.filter((p) => p.in === "path");
      // Unknown ids and slugs, hostile characters and oversize values in the path.
      for (const value of [
        "does-not-exist",
        "00000000-0000-0000-0000-000000000000",
        "%2e%2e%2f",
        "x".repeat(300),
      ]) {
        let url = `/api${path}`;
        for (const p of pathParams) url = url.replace(`{${p.name}}`, value);
        if (pathParams.length === 0) break;
        const body = method === "get" || method === "delete" ? undefined : {};
        await expectClientError(request, method.toUpperCase(), url, body);
        checked++;
      }
      // Wrong types for each query parameter and body field.
      let base = `/api${path}`;
      for (const p of pathParams) base = base.replace(`{${p.name}}`, "acme");
      for (const q of params.filter((p) => p.in === "query")) {
        const wrongValue = wrong(q.schema);
        if (typeof wrongValue === "object") continue; // objects cannot go in a query string
        const v = String(wrongValue as string | number);
        const res = await request.fetch(`${base}?${q.name}=${encodeURIComponent(v)}&limit=-5`, {
          method: method.toUpperCase(),
          headers: bearer(token),
        });
        expect(res.status(), `${method} ${base}?${q.name}=${v}`).toBeLessThan(500);
        checked++;
      }
      const schema = op.requestBody?.content?.["application/json"]?.schema;
      for (const [field, fieldSchema] of Object.entries(schema?.properties ?? {})) {
        const body = await expectClientError(request, method.toUpperCase(), base, {
          [field]: wrong(fieldSchema),
        });
        if (body.code === "INVALID_INPUT" && body.field) expect(typeof body.field).toBe("string");
        checked++;
      }
      if (schema) {
        await expectClientError(request, method.toUpperCase(), base, ["not", "an", "object"]);
        checked++;
      }
    }
  }
  expect(checked).toBeGreaterThan(10);
});

test("a body that is not JSON is a 400", async ({ request }) => {
  const res = await request.post("/api/tenant/v1/organizations/acme/projects", {
    headers: { ...bearer(token), "content-type": "application/json" },
    data: Buffer.from("{not json"),
  });
  expect(res.status()).toBe(400);
  expect(await res.json()).toMatchObject({
    code: "INVALID_INPUT",
    detail: "The request body is not valid JSON",
  });
});

test("an unknown route is a 404 problem", async ({ request }) => {
  const res = await request.get("/api/tenant/v1/nothing-here", { headers: bearer(token) });
  expect(res.status()).toBe(404);
  expect(res.headers()["content-type"]).toContain("application/problem+json");
});

test("a POST with no body at all is validated as an empty object", async ({ request }) => {
  const res = await request.post("/api/common/v1/auth/tokens");
  expect(res.status()).toBe(400);
  expect(await res.json()).toMatchObject({ code: "INVALID_INPUT", field: "email" });
});
