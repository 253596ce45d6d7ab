// Region configuration: clouds.yaml in openstacksdk's format (one entry per region) or the OS_*
// variables of a single region, turned into typed RegionConfig values the client is built from.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { env as appEnv, type Env } from "../../env";

export type EndpointInterface = "public" | "internal" | "admin";

export interface PasswordCredentials {
  kind: "password";
  username?: string;
  userId?: string;
  userDomainName?: string;
  userDomainId?: string;
  password: string;
  /** The home scope of the service user; forProject() rescopes to other projects. */
  projectId?: string;
  projectName?: string;
  projectDomainName?: string;
  projectDomainId?: string;
}

export interface ApplicationCredentials {
  kind: "application_credential";
  id?: string;
  name?: string;
  secret: string;
  /** Needed only when the credential is named instead of identified. */
  username?: string;
  userId?: string;
  userDomainName?: string;
  userDomainId?: string;
}

export type Credentials = PasswordCredentials | ApplicationCredentials;

export interface RegionConfig {
  /** Region name as in the catalog (region_name); the key the portal uses. */
  name: string;
  /** clouds.yaml entry it came from ("env" for OS_* variables). */
  cloud: string;
  /** Keystone v3 URL, always ending in /v3. */
  authUrl: string;
  credentials: Credentials;
  interface: EndpointInterface;
  /** TLS verification; false only for labs. */
  verify: boolean;
  /** PEM file with the CA bundle to trust. */
  cacert?: string;
  /** `<service_type>_endpoint_override` entries, keyed by service type. */
  endpointOverrides: Record<string, string>;
  /** `<service>_api_version` entries, e.g. compute: "2.90", volume: "3.64". */
  apiVersions: Record<string, string>;
}

const str = z.union([z.string(), z.number()]).transform((v) => String(v));
const boolish = z
  .union([z.boolean(), z.enum(["true", "false", "yes", "no", "1", "0"])])
  .transform((v) => (typeof v === "boolean" ? v : v === "true" || v === "yes" || v === "1"));

const authSchema = z.looseObject({
  auth_url: str.optional(),
  username: str.optional(),
  user_id: str.optional(),
  password: str.optional(),
  project_id: str.optional(),
  project_name: str.optional(),
  tenant_id: str.optional(),
  tenant_name: str.optional(),
  user_domain_name: str.optional(),
  user_domain_id: str.optional(),
  project_domain_name: str.optional(),
  project_domain_id: str.optional(),
  domain_name: str.optional(),
  domain_id: str.optional(),
  application_credential_id: str.optional(),
  application_credential_name: str.optional(),
  application_credential_secret: str.optional(),
});

const regionItem = z.union([
  z.string(),
  z.looseObject({ name: z.string(), values: z.record(z.string(), z.unknown()).optional() }),
]);

const cloudSchema = z.looseObject({
  auth_type: z.string().optional(),
  auth: authSchema.optional(),
  region_name: z.string().optional(),
  regions: z.array(regionItem).optional(),
  interface: z.enum(["public", "internal", "admin"]).optional(),
  endpoint_type: z.string().optional(),
  identity_api_version: str.optional(),
  verify: boolish.optional(),
  insecure: boolish.optional(),
  cacert: z.string().optional(),
});

const fileSchema = z.looseObject({ clouds: z.record(z.string(), z.unknown()) });

export class CloudsConfigError extends Error {
  override name = "CloudsConfigError";
}

export interface SelectOptions {
  /** Entries to use, in order; all entries when empty. */
  select?: string[];
  /** Where the configuration came from, for error messages. */
  source?: string;
}

/** Turns a parsed clouds.yaml object (`{ clouds: {...} }`) into region configs. */
export function regionsFromCloudsConfig(config: unknown, opts: SelectOptions = {}): RegionConfig[] {
  const source = opts.source ?? "clouds config";
  const file = fileSchema.safeParse(config);
  if (!file.success) throw new CloudsConfigError(`${source}: expected a top-level "clouds" mapping`);
  const names = opts.select && opts.select.length > 0 ? opts.select : Object.keys(file.data.clouds);
  const regions: RegionConfig[] = [];
  for (const cloudName of names) {
    const raw = file.data.clouds[cloudName];
    if (raw === undefined) {
      throw new CloudsConfigError(
        `${source}: no cloud named "${cloudName}" (have: ${Object.keys(file.data.clouds).join(", ")})`,
      );
    }
    for (const region of expandRegions(cloudName, raw, source)) regions.push(region);
  }
  const seen = new Set<string>();
  for (const r of regions) {
    if (seen.has(r.name)) {
      throw new CloudsConfigError(
        `${source}: region "${r.name}" appears in more than one entry; choose the entries with CIRRUS_CLOUDS`,
      );
    }
    seen.add(r.name);
  }
  return regions;
}

/** Parses clouds.yaml text, merging a secure.yaml-style overlay when given. */
export function parseCloudsYaml(
  text: string,
  opts: SelectOptions & { secure?: string } = {},
): RegionConfig[] {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (e) {
    throw new CloudsConfigError(
      `${opts.source ?? "clouds.yaml"}: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  if (opts.secure !== undefined) doc = deepMerge(doc, parseYaml(opts.secure));
  return regionsFromCloudsConfig(doc, opts);
}

/** A single region from OS_* variables (openrc style). */
export function regionFromOsVariables(e: Partial<Env>): RegionConfig | undefined {
  if (!e.OS_AUTH_URL) return undefined;
  const auth: Record<string, string | undefined> = {
    auth_url: e.OS_AUTH_URL,
    username: e.OS_USERNAME,
    password: e.OS_PASSWORD,
    project_name: e.OS_PROJECT_NAME,
    project_id: e.OS_PROJECT_ID,
    user_domain_name: e.OS_USER_DOMAIN_NAME,
    project_domain_name: e.OS_PROJECT_DOMAIN_NAME,
    application_credential_id: e.OS_APPLICATION_CREDENTIAL_ID,
    application_credential_secret: e.OS_APPLICATION_CREDENTIAL_SECRET,
  };
  const cloud = {
    auth: Object.fromEntries(Object.entries(auth).filter(([, v]) => v !== undefined && v !== "")),
    region_name: e.OS_REGION_NAME ?? "RegionOne",
    interface: e.OS_INTERFACE,
  };
  return expandRegions("env", cloud, "OS_* variables")[0];
}

/**
 * The configured regions: a clouds.yaml (CIRRUS_CLOUDS_YAML, else OS_CLIENT_CONFIG_FILE) with the
 * entries named by CIRRUS_CLOUDS (else OS_CLOUD, else all), or OS_* for one region. Empty when
 * nothing is configured: the caller then falls back to the embedded sim.
 */
export function loadRegions(e: Partial<Env> = appEnv): RegionConfig[] {
  const path = e.CIRRUS_CLOUDS_YAML ?? e.OS_CLIENT_CONFIG_FILE;
  if (path) {
    let text: string;
    try {
      text = readFileSync(path, "utf8");
    } catch (err) {
      throw new CloudsConfigError(`cannot read ${path}: ${err instanceof Error ? err.message : String(err)}`);
    }
    const securePath = join(dirname(path), "secure.yaml");
    const secure = existsSync(securePath) ? readFileSync(securePath, "utf8") : undefined;
    const select = splitList(e.CIRRUS_CLOUDS) ?? (e.OS_CLOUD ? [e.OS_CLOUD] : undefined);
    return parseCloudsYaml(text, {
      source: path,
      ...(select ? { select } : {}),
      ...(secure ? { secure } : {}),
    });
  }
  const single = regionFromOsVariables(e);
  return single ? [single] : [];
}

function splitList(v: string | undefined): string[] | undefined {
  const items = (v ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  return items.length > 0 ? items : undefined;
}

function expandRegions(cloudName: string, raw: unknown, source: string): RegionConfig[] {
  const where = `${source}: cloud "${cloudName}"`;
  const parsed = cloudSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CloudsConfigError(
      `${where}: ${issue ? `${issue.path.join(".")}: ${issue.message}` : "invalid"}`,
    );
  }
  const c = parsed.data;
  const regionList = c.regions && c.regions.length > 0 ? c.regions : [c.region_name ?? "RegionOne"];
  return regionList.map((item) => {
    if (typeof item === "string") return toRegion(cloudName, item, c, where);
    // openstacksdk lets a region entry override any key of its cloud
    const merged = cloudSchema.parse(deepMerge(c, item.values ?? {}));
    return toRegion(cloudName, item.name, merged, where);
  });
}

function toRegion(
  cloudName: string,
  regionName: string,
  c: z.infer<typeof cloudSchema>,
  where: string,
): RegionConfig {
  if (c.identity_api_version !== undefined && !String(c.identity_api_version).startsWith("3")) {
    throw new CloudsConfigError(
      `${where}: only Keystone v3 is supported (identity_api_version ${c.identity_api_version})`,
    );
  }
  const a = c.auth ?? {};
  if (!a.auth_url) throw new CloudsConfigError(`${where}: auth.auth_url is required`);
  const authType = (c.auth_type ?? "password").replace(/^v3/, "").replaceAll("-", "");
  let credentials: Credentials;
  const userDomainName = a.user_domain_name ?? (a.user_domain_id ? undefined : (a.domain_name ?? "Default"));
  const userDomainId = a.user_domain_id ?? (a.user_domain_name ? undefined : a.domain_id);
  if (authType === "applicationcredential" || a.application_credential_secret) {
    if (!a.application_credential_secret)
      throw new CloudsConfigError(`${where}: application_credential_secret is required`);
    if (!a.application_credential_id && !a.application_credential_name) {
      throw new CloudsConfigError(
        `${where}: application_credential_id or application_credential_name is required`,
      );
    }
    if (!a.application_credential_id && !a.username && !a.user_id) {
      throw new CloudsConfigError(`${where}: a named application credential needs username or user_id`);
    }
    credentials = compact({
      kind: "application_credential" as const,
      id: a.application_credential_id,
      name: a.application_credential_name,
      secret: a.application_credential_secret,
      username: a.username,
      userId: a.user_id,
      userDomainName: a.username && !a.user_id ? userDomainName : undefined,
      userDomainId: a.username && !a.user_id ? userDomainId : undefined,
    });
  } else if (authType === "password") {
    if (!a.password) throw new CloudsConfigError(`${where}: auth.password is required`);
    if (!a.username && !a.user_id)
      throw new CloudsConfigError(`${where}: auth.username or auth.user_id is required`);
    const projectId = a.project_id ?? a.tenant_id;
    const projectName = a.project_name ?? a.tenant_name;
    credentials = compact({
      kind: "password" as const,
      username: a.username,
      userId: a.user_id,
      userDomainName: a.user_id ? undefined : userDomainName,
      userDomainId: a.user_id ? undefined : userDomainId,
      password: a.password,
      projectId,
      projectName: projectId ? undefined : projectName,
      projectDomainName:
        projectId || !projectName
          ? undefined
          : (a.project_domain_name ?? (a.project_domain_id ? undefined : (a.domain_name ?? "Default"))),
      projectDomainId:
        projectId || !projectName
          ? undefined
          : (a.project_domain_id ?? (a.project_domain_name ? undefined : a.domain_id)),
    });
  } else {
    throw new CloudsConfigError(
      `${where}: auth_type "${c.auth_type}" is not supported (password, v3applicationcredential)`,
    );
  }
  const iface = c.interface ?? endpointType(c.endpoint_type) ?? "public";
  const verify = c.insecure === true ? false : (c.verify ?? true);
  const endpointOverrides: Record<string, string> = {};
  const apiVersions: Record<string, string> = {};
  for (const [k, v] of Object.entries(c)) {
    if (typeof v !== "string" && typeof v !== "number") continue;
    const override = /^(.+)_endpoint_override$/.exec(k);
    if (override?.[1]) endpointOverrides[override[1].replaceAll("_", "-")] = String(v);
    const version = /^(.+)_api_version$/.exec(k);
    if (version?.[1] && version[1] !== "identity") apiVersions[version[1].replaceAll("_", "-")] = String(v);
  }
  return {
    name: regionName,
    cloud: cloudName,
    authUrl: normaliseAuthUrl(a.auth_url),
    credentials,
    interface: iface,
    verify,
    ...(c.cacert ? { cacert: c.cacert } : {}),
    endpointOverrides,
    apiVersions,
  };
}

function endpointType(v: string | undefined): EndpointInterface | undefined {
  const t = v?.replace(/URL$/, "");
  return t === "public" || t === "internal" || t === "admin" ? t : undefined;
}

/** Keystone URLs are given with or without /v3 (and sometimes /v3/); we always call /v3. */
export function normaliseAuthUrl(url: string): string {
  const u = url.replace(/\/+$/, "");
  if (/\/v3$/.test(u)) return u;
  if (/\/v2\.0$/.test(u)) return u.replace(/\/v2\.0$/, "/v3");
  return `${u}/v3`;
}

function compact<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function deepMerge(base: unknown, over: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(over)) return over === undefined ? base : over;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = deepMerge(base[k], v);
  return out;
}
