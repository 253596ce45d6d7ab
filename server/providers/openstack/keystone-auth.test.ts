import { describe, expect, it } from "vitest";
import { AppError } from "../../errors";
import { apiRoot, canonicalServiceType, findCatalogUrl, type CatalogEntry } from "./catalog";
import { authRequestBody, tokenFromResponse } from "./keystone-auth";

describe("authRequestBody", () => {
  const byName = {
    kind: "password" as const,
    username: "svc",
    userDomainName: "Default",
    password: "pw",
    projectName: "portal",
    projectDomainName: "Default",
  };

  it("authenticates a user by name and domain, scoped to the home project by name", () => {
    expect(authRequestBody(byName, { kind: "home" })).toEqual({
      auth: {
        identity: {
          methods: ["password"],
          password: { user: { name: "svc", domain: { name: "Default" }, password: "pw" } },
        },
        scope: { project: { name: "portal", domain: { name: "Default" } } },
      },
    });
  });

  it("rescopes to a project by id", () => {
    const body = authRequestBody(
      { kind: "password", userId: "u1", password: "pw", projectId: "home" },
      { kind: "project", projectId: "p9" },
    );
    expect(body).toEqual({
      auth: {
        identity: { methods: ["password"], password: { user: { id: "u1", password: "pw" } } },
        scope: { project: { id: "p9" } },
      },
    });
  });

  it("sends application credentials without a scope", () => {
    expect(
      authRequestBody({ kind: "application_credential", id: "ac", secret: "s" }, { kind: "home" }),
    ).toEqual({
      auth: {
        identity: { methods: ["application_credential"], application_credential: { id: "ac", secret: "s" } },
      },
    });
    expect(
      authRequestBody(
        { kind: "application_credential", name: "portal", secret: "s", username: "svc", userDomainId: "d1" },
        { kind: "home" },
      ),
    ).toEqual({
      auth: {
        identity: {
          methods: ["application_credential"],
          application_credential: {
            name: "portal",
            secret: "s",
            user: { name: "svc", domain: { id: "d1" } },
          },
        },
      },
    });
  });

  it("refuses to rescope an application credential", () => {
    expect(() =>
      authRequestBody(
        { kind: "application_credential", id: "ac", secret: "s" },
        { kind: "project", projectId: "p" },
      ),
    ).toThrow(AppError);
  });
});

describe("tokenFromResponse", () => {
  it("measures expiry on our clock from Keystone's issued/expires pair", () => {
    const now = Date.parse("2030-01-01T00:00:00Z");
    const t = tokenFromResponse(
      "tok",
      {
        token: {
          // Keystone's clock is 2 hours behind ours: the token still lasts one hour
          issued_at: "2029-12-31T22:00:00.000000Z",
          expires_at: "2029-12-31T23:00:00.000000Z",
          user: { id: "u", name: "svc", domain: { id: "default" } },
          project: { id: "p", name: "portal", domain: { id: "default" } },
          roles: [{ id: "r", name: "member" }],
          catalog: [],
        },
      },
      now,
    );
    expect(t.expiresAt - now).toBe(3_600_000);
    expect(t).toMatchObject({ value: "tok", userId: "u", projectId: "p", roles: ["member"] });
  });

  it("reports an unreadable body as UPSTREAM_ERROR", () => {
    expect(() => tokenFromResponse("tok", { nope: 1 }, 0)).toThrow(/could not read/);
  });
});

describe("catalog", () => {
  const catalog: CatalogEntry[] = [
    {
      type: "volumev3",
      endpoints: [
        { url: "http://c:8776/v3/p1", interface: "public", region_id: "one" },
        { url: "http://c-int:8776/v3/p1", interface: "internal", region_id: "one" },
      ],
    },
    {
      type: "compute",
      endpoints: [
        { url: "http://n2:8774/v2.1", interface: "public", region_id: "two" },
        { url: "http://n1:8774/v2.1", interface: "public", region_id: "one" },
      ],
    },
    { type: "metric", endpoints: [{ url: "http://prom:9090/api/v1", interface: "public", region: "one" }] },
  ];

  it("finds endpoints by type alias, region and interface", () => {
    expect(findCatalogUrl(catalog, "block-storage", "one", "internal")).toBe("http://c-int:8776/v3/p1");
    expect(findCatalogUrl(catalog, "block-storage", "one", "admin")).toBe("http://c:8776/v3/p1");
    expect(findCatalogUrl(catalog, "compute", "two", "public")).toBe("http://n2:8774/v2.1");
    expect(findCatalogUrl(catalog, "prometheus", "one", "public")).toBe("http://prom:9090/api/v1");
    expect(findCatalogUrl(catalog, "network", "one", "public")).toBeUndefined();
    expect(canonicalServiceType("sharev2")).toBe("shared-file-system");
  });

  it.each([
    ["network", "http://h:9696", "http://h:9696/v2.0"],
    ["network", "http://h/r1/network/", "http://h/r1/network/v2.0"],
    ["image", "http://h:9292", "http://h:9292/v2"],
    ["compute", "http://h:8774/v2.1", "http://h:8774/v2.1"],
    ["compute", "http://h/compute", "http://h/compute/v2.1"],
    ["block-storage", "http://h:8776/v3", "http://h:8776/v3/p1"],
    ["block-storage", "http://h:8776/v3/p1", "http://h:8776/v3/p1"],
    ["identity", "http://h:5000", "http://h:5000/v3"],
    ["load-balancer", "http://h:9876", "http://h:9876/v2"],
    ["prometheus", "http://h/r1/prometheus/api/v1", "http://h/r1/prometheus"],
  ] as const)("API root of %s %s", (type, url, root) => {
    expect(apiRoot(type, url, "p1")).toBe(root);
  });
});
