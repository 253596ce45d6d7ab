// The API description is generated from the procedures at run time: it must build, and keep the
// paths the issues name (a procedure whose input an OpenAPI generator cannot read breaks it all).
import { describe, expect, it } from "vitest";
import { openApiDocument } from "./openapi";

describe("the OpenAPI document", () => {
  const doc = openApiDocument();
  const paths = doc.paths ?? {};

  it("builds, with the compute paths and methods of the issue", () => {
    const expected: [string, string[]][] = [
      ["/tenant/v1/projects/{project}/instances", ["get", "post"]],
      ["/tenant/v1/projects/{project}/instances/{id}", ["get", "patch", "delete"]],
      ["/tenant/v1/projects/{project}/instances/{id}/actions", ["post"]],
      ["/tenant/v1/projects/{project}/images", ["get", "post"]],
      ["/tenant/v1/projects/{project}/flavors", ["get"]],
      ["/tenant/v1/projects/{project}/keypairs", ["get", "post"]],
      ["/tenant/v1/projects/{project}/networks", ["get"]],
      ["/tenant/v1/projects/{project}/subnets", ["get"]],
      ["/tenant/v1/projects/{project}/security-groups", ["get"]],
      ["/tenant/v1/projects/{project}/images/{id}/file", ["put"]],
      ["/tenant/v1/jobs/{id}", ["get"]],
    ];
    for (const [path, methods] of expected) {
      expect(Object.keys(paths), path).toContain(path);
      for (const m of methods) expect(Object.keys(paths[path] as object), `${m} ${path}`).toContain(m);
    }
  });

  it("documents the action body: the action names and their parameters", () => {
    const op = (paths["/tenant/v1/projects/{project}/instances/{id}/actions"] as Record<string, unknown>)
      .post as {
      requestBody: {
        content: Record<string, { schema: { properties: Record<string, { enum?: string[] }> } }>;
      };
      responses: Record<string, unknown>;
    };
    const schema = op.requestBody.content["application/json"]!.schema;
    expect(schema.properties.action!.enum).toEqual(
      expect.arrayContaining(["stop", "resize", "attachVolume", "lock"]),
    );
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining(["flavorId", "newVolume", "reason"]),
    );
    expect(Object.keys(op.responses)).toContain("202");
  });
});
