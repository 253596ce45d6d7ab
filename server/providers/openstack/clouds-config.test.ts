import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  CloudsConfigError,
  loadRegions,
  normaliseAuthUrl,
  parseCloudsYaml,
  regionFromOsVariables,
  regionsFromCloudsConfig,
} from "./clouds-config";

const LAB = `
clouds:
  lab-admin:
    auth: {auth_url: "http://127.0.0.1:5000/v3", username: admin, password: adminpass, project_name: admin, user_domain_name: Default, project_domain_name: Default}
    region_name: RegionOne
    identity_api_version: 3
  lab-demo:
    auth: {auth_url: "http://127.0.0.1:5000/v3", username: demo, password: demopass, project_name: demo, user_domain_name: Default, project_domain_name: Default}
    region_name: RegionOne
    identity_api_version: 3
`;

const MULTI = `
clouds:
  fra:
    auth_type: v3applicationcredential
    auth:
      auth_url: https://keystone.example.com:5000
      application_credential_id: "ac-1"
      application_credential_secret: "s3cret"
    region_name: fra1
    interface: internal
    verify: false
    compute_api_version: "2.79"
    volume_api_version: 3
    network_endpoint_override: https://neutron.fra.example.com
  ams:
    auth:
      auth_url: https://keystone.example.com/identity/
      user_id: "u-1"
      password: pw
      project_id: p-1
    regions:
      - ams1
      - name: ams2
        values:
          interface: admin
    cacert: /etc/ssl/private-ca.pem
`;

describe("clouds.yaml parsing", () => {
  it("reads a password entry with project name and domains", () => {
    const [r] = parseCloudsYaml(LAB, { select: ["lab-admin"] });
    expect(r).toEqual({
      name: "RegionOne",
      cloud: "lab-admin",
      authUrl: "http://127.0.0.1:5000/v3",
      credentials: {
        kind: "password",
        username: "admin",
        userDomainName: "Default",
        password: "adminpass",
        projectName: "admin",
        projectDomainName: "Default",
      },
      interface: "public",
      verify: true,
      endpointOverrides: {},
      apiVersions: {},
    });
  });

  it("refuses two entries for one region unless one is chosen", () => {
    expect(() => parseCloudsYaml(LAB)).toThrow(/region "RegionOne" appears in more than one entry/);
    expect(parseCloudsYaml(LAB, { select: ["lab-demo"] })).toHaveLength(1);
  });

  it("names the missing entry", () => {
    expect(() => parseCloudsYaml(LAB, { select: ["nope"] })).toThrow(
      /no cloud named "nope" \(have: lab-admin, lab-demo\)/,
    );
  });

  it("reads application credentials, interface, verify, overrides and api versions", () => {
    const regions = parseCloudsYaml(MULTI);
    expect(regions.map((r) => r.name)).toEqual(["fra1", "ams1", "ams2"]);
    const fra = regions[0];
    expect(fra?.credentials).toEqual({ kind: "application_credential", id: "ac-1", secret: "s3cret" });
    expect(fra?.authUrl).toBe("https://keystone.example.com:5000/v3");
    expect(fra?.interface).toBe("internal");
    expect(fra?.verify).toBe(false);
    expect(fra?.endpointOverrides).toEqual({ network: "https://neutron.fra.example.com" });
    expect(fra?.apiVersions).toEqual({ compute: "2.79", volume: "3" });
  });

  it("expands a regions list, with per-region values", () => {
    const [, ams1, ams2] = parseCloudsYaml(MULTI);
    expect(ams1?.credentials).toEqual({ kind: "password", userId: "u-1", password: "pw", projectId: "p-1" });
    expect(ams1?.interface).toBe("public");
    expect(ams2?.interface).toBe("admin");
    expect(ams2?.cacert).toBe("/etc/ssl/private-ca.pem");
    expect(ams2?.authUrl).toBe("https://keystone.example.com/identity/v3");
  });

  it.each([
    [
      "no auth_url",
      { clouds: { a: { auth: { username: "u", password: "p" } } } },
      /auth.auth_url is required/,
    ],
    [
      "no password",
      { clouds: { a: { auth: { auth_url: "http://k", username: "u" } } } },
      /auth.password is required/,
    ],
    [
      "no user",
      { clouds: { a: { auth: { auth_url: "http://k", password: "p" } } } },
      /auth.username or auth.user_id/,
    ],
    [
      "keystone v2",
      {
        clouds: {
          a: { identity_api_version: 2, auth: { auth_url: "http://k", username: "u", password: "p" } },
        },
      },
      /only Keystone v3/,
    ],
    [
      "token auth",
      { clouds: { a: { auth_type: "token", auth: { auth_url: "http://k" } } } },
      /auth_type "token" is not supported/,
    ],
    [
      "named app cred without user",
      {
        clouds: {
          a: {
            auth_type: "v3applicationcredential",
            auth: {
              auth_url: "http://k",
              application_credential_name: "n",
              application_credential_secret: "s",
            },
          },
        },
      },
      /needs username or user_id/,
    ],
    ["not a clouds file", { foo: 1 }, /top-level "clouds" mapping/],
  ])("rejects %s", (_name, config, message) => {
    expect(() => regionsFromCloudsConfig(config)).toThrow(CloudsConfigError);
    expect(() => regionsFromCloudsConfig(config)).toThrow(message);
  });

  it("merges secure.yaml over clouds.yaml", () => {
    const text = `clouds:\n  a:\n    auth: {auth_url: "http://k/v3", username: u, project_name: p}\n    region_name: R\n`;
    const secure = `clouds:\n  a:\n    auth: {password: hidden}\n`;
    const [r] = parseCloudsYaml(text, { secure });
    expect(r?.credentials).toMatchObject({ kind: "password", password: "hidden", username: "u" });
  });

  it("normalises Keystone URLs to /v3", () => {
    expect(normaliseAuthUrl("http://k:5000")).toBe("http://k:5000/v3");
    expect(normaliseAuthUrl("http://k:5000/v3/")).toBe("http://k:5000/v3");
    expect(normaliseAuthUrl("http://k:5000/v2.0")).toBe("http://k:5000/v3");
    expect(normaliseAuthUrl("http://k/identity")).toBe("http://k/identity/v3");
  });
});

describe("region sources", () => {
  it("builds one region from OS_* variables", () => {
    const r = regionFromOsVariables({
      OS_AUTH_URL: "http://k:5000/v3",
      OS_USERNAME: "svc",
      OS_PASSWORD: "pw",
      OS_PROJECT_NAME: "portal",
      OS_USER_DOMAIN_NAME: "Default",
      OS_PROJECT_DOMAIN_NAME: "Default",
      OS_REGION_NAME: "north",
      OS_INTERFACE: "internal",
    });
    expect(r).toMatchObject({
      name: "north",
      cloud: "env",
      interface: "internal",
      credentials: { kind: "password", username: "svc", projectName: "portal" },
    });
    expect(regionFromOsVariables({})).toBeUndefined();
  });

  it("loads the file named by CIRRUS_CLOUDS_YAML with the CIRRUS_CLOUDS selection", () => {
    const dir = mkdtempSync(join(tmpdir(), "clouds-"));
    const path = join(dir, "clouds.yaml");
    writeFileSync(path, LAB);
    expect(
      loadRegions({ CIRRUS_CLOUDS_YAML: path, CIRRUS_CLOUDS: " lab-demo " }).map((r) => r.cloud),
    ).toEqual(["lab-demo"]);
    expect(loadRegions({ OS_CLIENT_CONFIG_FILE: path, OS_CLOUD: "lab-admin" }).map((r) => r.cloud)).toEqual([
      "lab-admin",
    ]);
    expect(() => loadRegions({ CIRRUS_CLOUDS_YAML: join(dir, "missing.yaml") })).toThrow(/cannot read/);
    expect(loadRegions({})).toEqual([]);
  });
});
