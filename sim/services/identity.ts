// Keystone v3 (global, mounted at /identity): password, token and application-credential auth,
// scoped tokens with the service catalog, and domain/project/user/role/assignment management.
import { checkSecret, expandRoleNames, hashSecret, resolveToken, rolesOnScope, tokenRoles } from "../auth";
import type { AuthContext } from "../auth";
import type { CatalogEntry, ServiceCall, SimCore, SimService } from "../core";
import { keystoneBody } from "../errors";
import {
  ApiError,
  Router,
  emptyResponse,
  header,
  isObject,
  jsonResponse,
  queryBool,
  readJson,
  resolveRoute,
} from "../http";
import type { SimRequest, SimResponse } from "../http";
import { hexId, isoMicrosZ, randomToken, stableHexId } from "../ids";
import type {
  AppCredential,
  Assignment,
  Domain,
  IdentityState,
  Project,
  Role,
  Token,
  TokenScope,
  User,
} from "../model";

const TOKEN_TTL_MS = 3600_000;
const VERSION_ID = "v3.14";
const VERSION_UPDATED = "2020-04-07T00:00:00Z";

interface Ctx {
  core: SimCore;
  req: SimRequest;
  /** http://host/identity */
  root: string;
  id: IdentityState;
  auth(): AuthContext;
}

export interface IdentityOptions {
  /** Catalog entries of every service (identity included), supplied by the server. */
  catalog: () => CatalogEntry[];
}

export function createIdentityService(core: SimCore, opts: IdentityOptions): SimService {
  const router = buildRouter(opts);
  return {
    name: "identity",
    mount: "identity",
    global: true,
    catalog: [{ type: "identity", name: "keystone", url: (base) => `${base}/identity` }],
    async handle(call: ServiceCall): Promise<SimResponse> {
      const ctx: Ctx = {
        core,
        req: call.req,
        root: call.root,
        id: core.store.state.identity,
        auth: () => authOrThrow(core, call.req),
      };
      const { handler, params } = resolveRoute(router, call.req);
      const res = await handler(ctx, params);
      res.headers = { Vary: "X-Auth-Token", ...res.headers };
      return res;
    },
    renderError(err: ApiError): SimResponse {
      const res = keystoneBody(err.status, err.message);
      if (err.status === 401) res.headers = { "WWW-Authenticate": `Keystone uri="${core.baseUrl}/identity"` };
      return res;
    },
  };
}

function authOrThrow(core: SimCore, req: SimRequest): AuthContext {
  const tokenId = header(req, "x-auth-token");
  const ctx = tokenId ? resolveToken(core, tokenId) : null;
  if (!ctx) throw unauthorized();
  return ctx;
}

function unauthorized(message = "The request you have made requires authentication."): ApiError {
  return new ApiError(401, message);
}

function forbidden(action: string): ApiError {
  return new ApiError(403, `You are not authorized to perform the requested action: ${action}.`);
}

function notFound(kind: string, id: string): ApiError {
  return new ApiError(404, `Could not find ${kind}: ${id}.`);
}

function badRequest(message: string): ApiError {
  return new ApiError(
    400,
    `${message} The server could not comply with the request since it is either malformed or otherwise incorrect. The client is assumed to be in error.`,
  );
}

function schemaError(field: string, message: string): ApiError {
  return new ApiError(400, `Invalid input for field '${field}': ${message}`);
}

function requireAdmin(ctx: Ctx, action: string): AuthContext {
  const auth = ctx.auth();
  if (!auth.isAdmin) throw forbidden(action);
  return auth;
}

function body(ctx: Ctx): Record<string, unknown> {
  const parsed = readJson(ctx.req, () => badRequest("Malformed request body."));
  if (!isObject(parsed)) throw badRequest("Malformed request body.");
  return parsed;
}

function member(obj: Record<string, unknown>, key: string, path: string): Record<string, unknown> {
  const value = obj[key];
  if (value === undefined) throw schemaError(path, `'${key}' is a required property`);
  if (!isObject(value))
    throw schemaError(`${path}/${key}`, `${JSON.stringify(value)} is not of type 'object'`);
  return value;
}

function optString(obj: Record<string, unknown>, key: string, path: string): string | undefined {
  const value = obj[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string")
    throw schemaError(`${path}${key}`, `${JSON.stringify(value)} is not of type 'string'`);
  return value;
}

function optBool(obj: Record<string, unknown>, key: string): boolean | undefined {
  const value = obj[key];
  if (value === undefined) return undefined;
  if (typeof value !== "boolean") throw schemaError(key, `${JSON.stringify(value)} is not of type 'boolean'`);
  return value;
}

function listLinks(ctx: Ctx, path: string): Record<string, unknown> {
  const q = ctx.req.query.toString();
  return { self: `${ctx.root}/v3${path}${q ? `?${q}` : ""}`, previous: null, next: null };
}

// ---------------------------------------------------------------- rendering

function versionDoc(root: string): Record<string, unknown> {
  return {
    id: VERSION_ID,
    status: "stable",
    updated: VERSION_UPDATED,
    links: [{ rel: "self", href: `${root}/v3/` }],
    "media-types": [{ base: "application/json", type: "application/vnd.openstack.identity-v3+json" }],
  };
}

function renderDomain(ctx: Ctx, d: Domain): Record<string, unknown> {
  return {
    id: d.id,
    name: d.name,
    description: d.description,
    enabled: d.enabled,
    tags: d.tags,
    options: {},
    links: { self: `${ctx.root}/v3/domains/${d.id}` },
  };
}

function renderProject(ctx: Ctx, p: Project): Record<string, unknown> {
  return {
    id: p.id,
    name: p.name,
    domain_id: p.domain_id,
    description: p.description,
    enabled: p.enabled,
    parent_id: p.parent_id,
    is_domain: false,
    tags: p.tags,
    options: p.options,
    ...p.extra,
    links: { self: `${ctx.root}/v3/projects/${p.id}` },
  };
}

function renderUser(ctx: Ctx, u: User): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: u.id,
    name: u.name,
    domain_id: u.domain_id,
    enabled: u.enabled,
    password_expires_at: u.password_expires_at,
    options: u.options,
    ...u.extra,
    links: { self: `${ctx.root}/v3/users/${u.id}` },
  };
  if (u.default_project_id) out.default_project_id = u.default_project_id;
  if (u.description !== null) out.description = u.description;
  if (u.email !== null) out.email = u.email;
  return out;
}

function renderRole(ctx: Ctx, r: Role): Record<string, unknown> {
  return {
    id: r.id,
    name: r.name,
    domain_id: r.domain_id,
    description: r.description,
    options: r.options,
    links: { self: `${ctx.root}/v3/roles/${r.id}` },
  };
}

function renderAppCred(ctx: Ctx, c: AppCredential): Record<string, unknown> {
  return {
    id: c.id,
    name: c.name,
    description: c.description,
    user_id: c.userId,
    project_id: c.projectId,
    roles: c.roleIds.flatMap((id) => {
      const r = ctx.id.roles[id];
      return r ? [{ id: r.id, name: r.name, domain_id: r.domain_id }] : [];
    }),
    unrestricted: c.unrestricted,
    expires_at: c.expiresAt === null ? null : isoMicrosZ(c.expiresAt).replace(/Z$/, ""),
    access_rules: [],
    system: null,
    links: { self: `${ctx.root}/v3/users/${c.userId}/application_credentials/${c.id}` },
  };
}

/** The catalog as Keystone embeds it in a token: endpoints per region and interface. */
export function buildCatalog(core: SimCore, entries: CatalogEntry[], projectId: string | null): unknown[] {
  const byType = new Map<string, { entry: CatalogEntry; regions: string[] }>();
  for (const entry of entries) byType.set(entry.type, { entry, regions: [...core.regions] });
  const out: unknown[] = [];
  for (const { entry, regions } of byType.values()) {
    const endpoints: unknown[] = [];
    for (const region of regions) {
      const raw = entry.url(core.baseUrl, region);
      if (raw.includes("%(project_id)s") && projectId === null) continue;
      const url = projectId === null ? raw : raw.replace("%(project_id)s", projectId);
      for (const iface of ["public", "internal", "admin"]) {
        endpoints.push({
          id: stableHexId("endpoint", entry.type, region, iface),
          interface: iface,
          region_id: region,
          url,
          region,
        });
      }
    }
    if (endpoints.length > 0)
      out.push({ endpoints, id: stableHexId("service", entry.type), type: entry.type, name: entry.name });
  }
  return out;
}

function renderToken(
  ctx: Ctx,
  token: Token,
  catalog: CatalogEntry[],
  withCatalog: boolean,
): Record<string, unknown> {
  const id = ctx.id;
  const user = id.users[token.userId];
  const userDomain = user ? id.domains[user.domain_id] : undefined;
  const out: Record<string, unknown> = {
    methods: token.methods,
    user: {
      domain: { id: userDomain?.id ?? "", name: userDomain?.name ?? "" },
      id: token.userId,
      name: user?.name ?? "",
      password_expires_at: user?.password_expires_at ?? null,
    },
    audit_ids: token.auditIds,
    expires_at: isoMicrosZ(token.expiresAt),
    issued_at: isoMicrosZ(token.issuedAt),
  };
  let projectId: string | null = null;
  if (token.scope.kind === "project") {
    const project = id.projects[token.scope.projectId];
    const domain = project ? id.domains[project.domain_id] : undefined;
    projectId = project?.id ?? null;
    out.project = {
      domain: { id: domain?.id ?? "", name: domain?.name ?? "" },
      id: project?.id ?? "",
      name: project?.name ?? "",
    };
    out.is_domain = false;
  } else if (token.scope.kind === "domain") {
    const domain = id.domains[token.scope.domainId];
    out.domain = { id: domain?.id ?? "", name: domain?.name ?? "" };
  } else if (token.scope.kind === "system") {
    out.system = { all: true };
  }
  if (token.scope.kind !== "unscoped") {
    out.roles = tokenRoles(id, token).map((r) => ({ id: r.id, name: r.name }));
    if (withCatalog) out.catalog = buildCatalog(ctx.core, catalog, projectId);
  }
  if (token.appCredId !== null) {
    const cred = id.appCreds[token.appCredId];
    out.application_credential = {
      id: token.appCredId,
      name: cred?.name ?? "",
      restricted: !(cred?.unrestricted ?? false),
    };
  }
  return out;
}

// ---------------------------------------------------------------- lookups

function findDomainRef(ctx: Ctx, ref: Record<string, unknown>, path: string): Domain {
  const domainId = optString(ref, "id", `${path}/`);
  const domainName = optString(ref, "name", `${path}/`);
  const domain =
    domainId !== undefined
      ? ctx.id.domains[domainId]
      : Object.values(ctx.id.domains).find((d) => d.name === domainName);
  if (!domain) throw unauthorized(`Could not find domain: ${domainId ?? domainName ?? ""}.`);
  return domain;
}

function findUserRef(ctx: Ctx, ref: Record<string, unknown>, path: string): User | undefined {
  const userId = optString(ref, "id", `${path}/`);
  if (userId !== undefined) return ctx.id.users[userId];
  const name = optString(ref, "name", `${path}/`);
  if (name === undefined) throw badRequest(`Expecting to find id or name in user.`);
  const domainRef = ref.domain;
  if (!isObject(domainRef)) throw badRequest("Expecting to find domain in user.");
  const domain = findDomainRef(ctx, domainRef, `${path}/domain`);
  return Object.values(ctx.id.users).find((u) => u.name === name && u.domain_id === domain.id);
}

function getDomain(ctx: Ctx, id: string): Domain {
  const d = ctx.id.domains[id];
  if (!d) throw notFound("domain", id);
  return d;
}
function getProject(ctx: Ctx, id: string): Project {
  const p = ctx.id.projects[id];
  if (!p) throw notFound("project", id);
  return p;
}
function getUser(ctx: Ctx, id: string): User {
  const u = ctx.id.users[id];
  if (!u) throw notFound("user", id);
  return u;
}
function getRole(ctx: Ctx, id: string): Role {
  const r = ctx.id.roles[id];
  if (!r) throw notFound("role", id);
  return r;
}

// ---------------------------------------------------------------- auth

function issueToken(ctx: Ctx, catalog: CatalogEntry[]): SimResponse {
  const b = body(ctx);
  const auth = member(b, "auth", "");
  const identity = member(auth, "identity", "auth");
  const methods = identity.methods;
  if (!Array.isArray(methods) || methods.length === 0 || !methods.every((m) => typeof m === "string")) {
    throw schemaError("auth/identity/methods", "'methods' is a required property");
  }
  let userId: string;
  let appCred: AppCredential | null = null;
  let expiresAt = Date.now() + TOKEN_TTL_MS;
  let inherited: TokenScope | null = null;
  const method = methods[0] as string;
  if (method === "password") {
    const password = member(identity, "password", "auth/identity");
    const userRef = member(password, "user", "auth/identity/password");
    const user = findUserRef(ctx, userRef, "auth/identity/password/user");
    const secret = userRef.password;
    if (!user || typeof secret !== "string" || !checkSecret(secret, ctx.id.passwords[user.id]))
      throw unauthorized();
    if (!user.enabled || !ctx.id.domains[user.domain_id]?.enabled) throw unauthorized();
    userId = user.id;
  } else if (method === "token") {
    const tokenRef = member(identity, "token", "auth/identity");
    const tokenId = optString(tokenRef, "id", "auth/identity/token/");
    const prior = tokenId ? resolveToken(ctx.core, tokenId) : null;
    if (!prior) throw unauthorized();
    if (prior.token.appCredId !== null) throw forbidden("identity:rescope_application_credential_token");
    userId = prior.user.id;
    expiresAt = prior.token.expiresAt;
    inherited = prior.token.scope;
  } else if (method === "application_credential") {
    const ref = member(identity, "application_credential", "auth/identity");
    const credId = optString(ref, "id", "auth/identity/application_credential/");
    const secret = optString(ref, "secret", "auth/identity/application_credential/");
    if (secret === undefined)
      throw schemaError("auth/identity/application_credential", "'secret' is a required property");
    let cred: AppCredential | undefined;
    if (credId !== undefined) {
      cred = ctx.id.appCreds[credId];
    } else {
      const name = optString(ref, "name", "auth/identity/application_credential/");
      const userRef = ref.user;
      if (name === undefined || !isObject(userRef))
        throw badRequest("Expecting to find id or name in application_credential.");
      const owner = findUserRef(ctx, userRef, "auth/identity/application_credential/user");
      cred = Object.values(ctx.id.appCreds).find((c) => c.name === name && c.userId === owner?.id);
    }
    if (!cred || !checkSecret(secret, cred.secretHash)) throw unauthorized();
    if (cred.expiresAt !== null && cred.expiresAt <= Date.now()) throw unauthorized();
    if (b.auth && isObject(auth.scope)) throw unauthorized("Application credentials cannot request a scope.");
    appCred = cred;
    userId = cred.userId;
    if (cred.expiresAt !== null) expiresAt = Math.min(expiresAt, cred.expiresAt);
  } else {
    throw unauthorized(`Attempted to authenticate with an unsupported method.`);
  }

  const scope = appCred
    ? ({ kind: "project", projectId: appCred.projectId } as TokenScope)
    : resolveScope(ctx, auth.scope, userId, inherited);
  if (scope.kind !== "unscoped") {
    if (scope.kind === "project" && !ctx.id.projects[scope.projectId]?.enabled) throw unauthorized();
    const roles = rolesOnScope(ctx.id, userId, scope);
    if (roles.length === 0) {
      const target =
        scope.kind === "project"
          ? `project ${scope.projectId}`
          : scope.kind === "domain"
            ? `domain ${scope.domainId}`
            : "the system";
      throw unauthorized(`User ${userId} has no access to ${target}.`);
    }
  }
  const now = Date.now();
  const token: Token = {
    id: `gAAAAAB${randomToken(96)}`,
    userId,
    methods: method === "token" ? ["token", "password"] : [method],
    issuedAt: now,
    expiresAt,
    scope,
    auditIds: [randomToken(16).slice(0, 22)],
    appCredId: appCred?.id ?? null,
    revoked: false,
  };
  ctx.id.tokens[token.id] = token;
  ctx.core.store.changed();
  const withCatalog = ctx.req.query.get("nocatalog") === null;
  return jsonResponse(
    201,
    { token: renderToken(ctx, token, catalog, withCatalog) },
    { "X-Subject-Token": token.id },
  );
}

function resolveScope(ctx: Ctx, scope: unknown, userId: string, inherited: TokenScope | null): TokenScope {
  if (scope === undefined || scope === null) {
    if (inherited) return inherited;
    const user = ctx.id.users[userId];
    const defaultProject = user?.default_project_id ? ctx.id.projects[user.default_project_id] : undefined;
    if (
      defaultProject &&
      rolesOnScope(ctx.id, userId, { kind: "project", projectId: defaultProject.id }).length > 0
    ) {
      return { kind: "project", projectId: defaultProject.id };
    }
    return { kind: "unscoped" };
  }
  if (scope === "unscoped") return { kind: "unscoped" };
  if (!isObject(scope)) throw schemaError("auth/scope", `${JSON.stringify(scope)} is not of type 'object'`);
  if (isObject(scope.project)) {
    const ref = scope.project;
    const projectId = optString(ref, "id", "auth/scope/project/");
    let project: Project | undefined;
    if (projectId !== undefined) {
      project = ctx.id.projects[projectId];
    } else {
      const name = optString(ref, "name", "auth/scope/project/");
      if (!isObject(ref.domain)) throw badRequest("Expecting to find domain in project.");
      const domain = findDomainRef(ctx, ref.domain, "auth/scope/project/domain");
      project = Object.values(ctx.id.projects).find((p) => p.name === name && p.domain_id === domain.id);
    }
    if (!project) throw unauthorized(`Could not find project: ${projectId ?? String(ref.name)}.`);
    return { kind: "project", projectId: project.id };
  }
  if (isObject(scope.domain))
    return { kind: "domain", domainId: findDomainRef(ctx, scope.domain, "auth/scope/domain").id };
  if (isObject(scope.system)) return { kind: "system" };
  throw badRequest("Expecting to find project, domain or system in scope.");
}

function subjectToken(ctx: Ctx): { auth: AuthContext; subject: AuthContext } {
  const auth = ctx.auth();
  const subjectId = header(ctx.req, "x-subject-token");
  if (!subjectId) throw new ApiError(404, "Could not find token: None.");
  const subject = resolveToken(ctx.core, subjectId);
  if (!subject) throw new ApiError(404, `Could not find token: ${subjectId}.`);
  if (!auth.isAdmin && subject.user.id !== auth.user.id) throw forbidden("identity:validate_token");
  return { auth, subject };
}

// ---------------------------------------------------------------- router

function buildRouter(opts: IdentityOptions): Router<Ctx> {
  const r = new Router<Ctx>();

  r.get("/", (ctx) => jsonResponse(300, { versions: { values: [versionDoc(ctx.root)] } }));
  r.get("/v3", (ctx) => jsonResponse(200, { version: versionDoc(ctx.root) }));

  // --- tokens
  r.post("/v3/auth/tokens", (ctx) => issueToken(ctx, opts.catalog()));
  r.get("/v3/auth/tokens", (ctx) => {
    const { subject } = subjectToken(ctx);
    const withCatalog = ctx.req.query.get("nocatalog") === null;
    return jsonResponse(
      200,
      { token: renderToken(ctx, subject.token, opts.catalog(), withCatalog) },
      { "X-Subject-Token": subject.token.id },
    );
  });
  r.on("HEAD", "/v3/auth/tokens", (ctx) => {
    const { subject } = subjectToken(ctx);
    return emptyResponse(200, { "X-Subject-Token": subject.token.id });
  });
  r.delete("/v3/auth/tokens", (ctx) => {
    const { subject } = subjectToken(ctx);
    subject.token.revoked = true;
    ctx.core.store.changed();
    return emptyResponse(204);
  });
  r.get("/v3/auth/catalog", (ctx) => {
    const auth = ctx.auth();
    if (auth.token.scope.kind === "unscoped") throw forbidden("identity:get_auth_catalog");
    return jsonResponse(200, {
      catalog: buildCatalog(ctx.core, opts.catalog(), auth.projectId),
      links: listLinks(ctx, "/auth/catalog"),
    });
  });
  r.get("/v3/auth/projects", (ctx) => {
    const auth = ctx.auth();
    const projects = projectsOfUser(ctx, auth.user.id);
    return jsonResponse(200, {
      projects: projects.map((p) => renderProject(ctx, p)),
      links: listLinks(ctx, "/auth/projects"),
    });
  });
  r.get("/v3/auth/domains", (ctx) => {
    const auth = ctx.auth();
    const ids = new Set(
      ctx.id.assignments
        .filter((a) => a.userId === auth.user.id && a.domainId)
        .map((a) => a.domainId as string),
    );
    const domains = [...ids].flatMap((id) => (ctx.id.domains[id] ? [ctx.id.domains[id]] : []));
    return jsonResponse(200, {
      domains: domains.map((d) => renderDomain(ctx, d)),
      links: listLinks(ctx, "/auth/domains"),
    });
  });

  // --- domains
  r.get("/v3/domains", (ctx) => {
    const auth = ctx.auth();
    let domains = Object.values(ctx.id.domains);
    if (!auth.isAdmin) {
      const own = ctx.id.users[auth.user.id]?.domain_id;
      domains = domains.filter((d) => d.id === own);
    }
    domains = filterBy(domains, ctx.req.query, ["name", "enabled"]);
    return jsonResponse(200, {
      domains: domains.map((d) => renderDomain(ctx, d)),
      links: listLinks(ctx, "/domains"),
    });
  });
  r.post("/v3/domains", (ctx) => {
    requireAdmin(ctx, "identity:create_domain");
    const d = member(body(ctx), "domain", "");
    const name = optString(d, "name", "");
    if (name === undefined || name.length === 0) throw schemaError("name", "'name' is a required property");
    if (Object.values(ctx.id.domains).some((x) => x.name === name)) {
      throw new ApiError(
        409,
        `Conflict occurred attempting to store domain - Duplicate entry found with name ${name}.`,
      );
    }
    const domain: Domain = {
      id: optString(d, "explicit_domain_id", "") ?? hexId(),
      name,
      description: optString(d, "description", "") ?? "",
      enabled: optBool(d, "enabled") ?? true,
      tags: stringArray(d.tags),
    };
    ctx.id.domains[domain.id] = domain;
    ctx.core.store.changed();
    return jsonResponse(201, { domain: renderDomain(ctx, domain) });
  });
  r.get("/v3/domains/:id", (ctx, p) => {
    const auth = ctx.auth();
    const d = getDomain(ctx, p.id ?? "");
    if (!auth.isAdmin && ctx.id.users[auth.user.id]?.domain_id !== d.id && auth.domainId !== d.id)
      throw forbidden("identity:get_domain");
    return jsonResponse(200, { domain: renderDomain(ctx, d) });
  });
  r.patch("/v3/domains/:id", (ctx, p) => {
    requireAdmin(ctx, "identity:update_domain");
    const d = getDomain(ctx, p.id ?? "");
    const patch = member(body(ctx), "domain", "");
    const name = optString(patch, "name", "");
    if (name !== undefined && name !== d.name && Object.values(ctx.id.domains).some((x) => x.name === name)) {
      throw new ApiError(
        409,
        `Conflict occurred attempting to store domain - Duplicate entry found with name ${name}.`,
      );
    }
    if (name !== undefined) d.name = name;
    d.description = optString(patch, "description", "") ?? d.description;
    d.enabled = optBool(patch, "enabled") ?? d.enabled;
    if (patch.tags !== undefined) d.tags = stringArray(patch.tags);
    ctx.core.store.changed();
    return jsonResponse(200, { domain: renderDomain(ctx, d) });
  });
  r.delete("/v3/domains/:id", (ctx, p) => {
    requireAdmin(ctx, "identity:delete_domain");
    const d = getDomain(ctx, p.id ?? "");
    if (d.enabled)
      throw new ApiError(403, "Cannot delete a domain that is enabled, please disable it first.");
    for (const project of Object.values(ctx.id.projects))
      if (project.domain_id === d.id) deleteProject(ctx, project.id);
    for (const user of Object.values(ctx.id.users)) if (user.domain_id === d.id) deleteUser(ctx, user.id);
    ctx.id.assignments = ctx.id.assignments.filter((a) => a.domainId !== d.id);
    delete ctx.id.domains[d.id];
    ctx.core.store.changed();
    return emptyResponse(204);
  });

  // --- projects
  r.get("/v3/projects", (ctx) => {
    const auth = ctx.auth();
    let projects = Object.values(ctx.id.projects);
    if (!auth.isAdmin) {
      // Domain managers may list their domain; everyone else is refused like Keystone does.
      if (auth.domainId === null) throw forbidden("identity:list_projects");
      projects = projects.filter((p) => p.domain_id === auth.domainId);
    }
    projects = filterBy(projects, ctx.req.query, ["name", "domain_id", "enabled", "parent_id"]);
    const tags = ctx.req.query.get("tags");
    if (tags) projects = projects.filter((p) => tags.split(",").every((t) => p.tags.includes(t)));
    return jsonResponse(200, {
      projects: projects.map((p) => renderProject(ctx, p)),
      links: listLinks(ctx, "/projects"),
    });
  });
  r.post("/v3/projects", (ctx) => {
    const auth = requireAdmin(ctx, "identity:create_project");
    const p = member(body(ctx), "project", "");
    const name = optString(p, "name", "");
    if (name === undefined || name.length === 0) throw schemaError("name", "'name' is a required property");
    if (name.length > 64) throw schemaError("name", `'${name}' is too long`);
    let domainId = optString(p, "domain_id", "");
    const parentId = optString(p, "parent_id", "");
    if (parentId !== undefined && domainId === undefined)
      domainId = ctx.id.projects[parentId]?.domain_id ?? parentId;
    if (domainId === undefined) {
      domainId = auth.projectId
        ? (ctx.id.projects[auth.projectId]?.domain_id ?? "default")
        : (auth.domainId ?? "default");
    }
    if (!ctx.id.domains[domainId]) throw notFound("domain", domainId);
    if (parentId !== undefined && parentId !== domainId && !ctx.id.projects[parentId])
      throw notFound("project", parentId);
    if (Object.values(ctx.id.projects).some((x) => x.name === name && x.domain_id === domainId)) {
      throw new ApiError(
        409,
        `Conflict occurred attempting to store project - it is not permitted to have two projects with the same name in the same domain : ${name}.`,
      );
    }
    const project: Project = {
      id: hexId(),
      name,
      domain_id: domainId,
      description: optString(p, "description", "") ?? "",
      enabled: optBool(p, "enabled") ?? true,
      parent_id: parentId ?? domainId,
      is_domain: false,
      tags: stringArray(p.tags),
      options: {},
      extra: extraFields(p, [
        "name",
        "domain_id",
        "parent_id",
        "description",
        "enabled",
        "tags",
        "is_domain",
        "options",
        "id",
      ]),
    };
    ctx.id.projects[project.id] = project;
    ctx.core.store.changed();
    return jsonResponse(201, { project: renderProject(ctx, project) });
  });
  r.get("/v3/projects/:id", (ctx, p) => {
    const auth = ctx.auth();
    const project = getProject(ctx, p.id ?? "");
    if (!auth.isAdmin && auth.projectId !== project.id && auth.domainId !== project.domain_id)
      throw forbidden("identity:get_project");
    return jsonResponse(200, { project: renderProject(ctx, project) });
  });
  r.patch("/v3/projects/:id", (ctx, p) => {
    requireAdmin(ctx, "identity:update_project");
    const project = getProject(ctx, p.id ?? "");
    const patch = member(body(ctx), "project", "");
    const name = optString(patch, "name", "");
    if (
      name !== undefined &&
      name !== project.name &&
      Object.values(ctx.id.projects).some((x) => x.name === name && x.domain_id === project.domain_id)
    ) {
      throw new ApiError(
        409,
        `Conflict occurred attempting to store project - it is not permitted to have two projects with the same name in the same domain : ${name}.`,
      );
    }
    if (patch.domain_id !== undefined && patch.domain_id !== project.domain_id) {
      throw new ApiError(400, "Update of `domain_id` is not allowed.");
    }
    if (name !== undefined) project.name = name;
    project.description = optString(patch, "description", "") ?? project.description;
    project.enabled = optBool(patch, "enabled") ?? project.enabled;
    if (patch.tags !== undefined) project.tags = stringArray(patch.tags);
    Object.assign(
      project.extra,
      extraFields(patch, [
        "name",
        "domain_id",
        "parent_id",
        "description",
        "enabled",
        "tags",
        "is_domain",
        "options",
        "id",
      ]),
    );
    ctx.core.store.changed();
    return jsonResponse(200, { project: renderProject(ctx, project) });
  });
  r.delete("/v3/projects/:id", (ctx, p) => {
    requireAdmin(ctx, "identity:delete_project");
    const project = getProject(ctx, p.id ?? "");
    if (Object.values(ctx.id.projects).some((x) => x.parent_id === project.id)) {
      throw new ApiError(
        403,
        `Cannot delete the project ${project.id} since it is not a leaf in the hierarchy. Use the cascade option if you want to delete a whole subtree.`,
      );
    }
    deleteProject(ctx, project.id);
    ctx.core.store.changed();
    return emptyResponse(204);
  });

  // --- users
  r.get("/v3/users", (ctx) => {
    const auth = ctx.auth();
    let users = Object.values(ctx.id.users);
    if (!auth.isAdmin) {
      if (auth.domainId === null) throw forbidden("identity:list_users");
      users = users.filter((u) => u.domain_id === auth.domainId);
    }
    users = filterBy(users, ctx.req.query, ["name", "domain_id", "enabled"]);
    return jsonResponse(200, {
      users: users.map((u) => renderUser(ctx, u)),
      links: listLinks(ctx, "/users"),
    });
  });
  r.post("/v3/users", (ctx) => {
    const auth = requireAdmin(ctx, "identity:create_user");
    const u = member(body(ctx), "user", "");
    const name = optString(u, "name", "");
    if (name === undefined || name.length === 0) throw schemaError("name", "'name' is a required property");
    if (name.length > 255) throw schemaError("name", `'${name}' is too long`);
    const domainId =
      optString(u, "domain_id", "") ??
      (auth.projectId
        ? (ctx.id.projects[auth.projectId]?.domain_id ?? "default")
        : (auth.domainId ?? "default"));
    if (!ctx.id.domains[domainId]) throw notFound("domain", domainId);
    if (Object.values(ctx.id.users).some((x) => x.name === name && x.domain_id === domainId)) {
      throw new ApiError(
        409,
        `Conflict occurred attempting to store user - Duplicate entry found with name ${name} at domain ID ${domainId}.`,
      );
    }
    const defaultProject = optString(u, "default_project_id", "") ?? null;
    if (defaultProject !== null && !ctx.id.projects[defaultProject])
      throw notFound("project", defaultProject);
    const user: User = {
      id: hexId(),
      name,
      domain_id: domainId,
      enabled: optBool(u, "enabled") ?? true,
      default_project_id: defaultProject,
      description: optString(u, "description", "") ?? null,
      email: optString(u, "email", "") ?? null,
      password_expires_at: null,
      options: isObject(u.options) ? u.options : {},
      extra: extraFields(u, [
        "name",
        "domain_id",
        "enabled",
        "default_project_id",
        "description",
        "email",
        "password",
        "options",
        "id",
      ]),
      createdAt: Date.now(),
    };
    ctx.id.users[user.id] = user;
    const password = optString(u, "password", "");
    if (password !== undefined) ctx.id.passwords[user.id] = hashSecret(password);
    ctx.core.store.changed();
    return jsonResponse(201, { user: renderUser(ctx, user) });
  });
  r.get("/v3/users/:id", (ctx, p) => {
    const auth = ctx.auth();
    const user = getUser(ctx, p.id ?? "");
    if (!auth.isAdmin && auth.user.id !== user.id) throw forbidden("identity:get_user");
    return jsonResponse(200, { user: renderUser(ctx, user) });
  });
  r.patch("/v3/users/:id", (ctx, p) => {
    requireAdmin(ctx, "identity:update_user");
    const user = getUser(ctx, p.id ?? "");
    const patch = member(body(ctx), "user", "");
    const name = optString(patch, "name", "");
    if (
      name !== undefined &&
      name !== user.name &&
      Object.values(ctx.id.users).some((x) => x.name === name && x.domain_id === user.domain_id)
    ) {
      throw new ApiError(
        409,
        `Conflict occurred attempting to store user - Duplicate entry found with name ${name} at domain ID ${user.domain_id}.`,
      );
    }
    if (name !== undefined) user.name = name;
    user.enabled = optBool(patch, "enabled") ?? user.enabled;
    if (patch.default_project_id !== undefined)
      user.default_project_id = optString(patch, "default_project_id", "") ?? null;
    if (patch.description !== undefined) user.description = optString(patch, "description", "") ?? null;
    if (patch.email !== undefined) user.email = optString(patch, "email", "") ?? null;
    const password = optString(patch, "password", "");
    if (password !== undefined) {
      ctx.id.passwords[user.id] = hashSecret(password);
      revokeTokensOf(ctx, user.id);
    }
    if (user.enabled === false) revokeTokensOf(ctx, user.id);
    Object.assign(
      user.extra,
      extraFields(patch, [
        "name",
        "domain_id",
        "enabled",
        "default_project_id",
        "description",
        "email",
        "password",
        "options",
        "id",
      ]),
    );
    ctx.core.store.changed();
    return jsonResponse(200, { user: renderUser(ctx, user) });
  });
  r.delete("/v3/users/:id", (ctx, p) => {
    requireAdmin(ctx, "identity:delete_user");
    const user = getUser(ctx, p.id ?? "");
    deleteUser(ctx, user.id);
    ctx.core.store.changed();
    return emptyResponse(204);
  });
  r.post("/v3/users/:id/password", (ctx, p) => {
    const auth = ctx.auth();
    const user = getUser(ctx, p.id ?? "");
    if (auth.user.id !== user.id) throw forbidden("identity:change_password");
    const u = member(body(ctx), "user", "");
    const original = optString(u, "original_password", "user/");
    const password = optString(u, "password", "user/");
    if (original === undefined || password === undefined)
      throw schemaError("user", "'password' is a required property");
    if (!checkSecret(original, ctx.id.passwords[user.id])) throw unauthorized();
    ctx.id.passwords[user.id] = hashSecret(password);
    revokeTokensOf(ctx, user.id);
    ctx.core.store.changed();
    return emptyResponse(204);
  });
  r.get("/v3/users/:id/projects", (ctx, p) => {
    const auth = ctx.auth();
    const user = getUser(ctx, p.id ?? "");
    if (!auth.isAdmin && auth.user.id !== user.id) throw forbidden("identity:list_user_projects");
    const projects = filterBy(projectsOfUser(ctx, user.id), ctx.req.query, ["name", "domain_id", "enabled"]);
    return jsonResponse(200, {
      projects: projects.map((x) => renderProject(ctx, x)),
      links: listLinks(ctx, `/users/${user.id}/projects`),
    });
  });
  r.get("/v3/users/:id/groups", (ctx, p) => {
    const auth = ctx.auth();
    const user = getUser(ctx, p.id ?? "");
    if (!auth.isAdmin && auth.user.id !== user.id) throw forbidden("identity:list_groups_for_user");
    return jsonResponse(200, { groups: [], links: listLinks(ctx, `/users/${user.id}/groups`) });
  });

  // --- application credentials
  r.get("/v3/users/:id/application_credentials", (ctx, p) => {
    const auth = ctx.auth();
    const user = getUser(ctx, p.id ?? "");
    if (!auth.isAdmin && auth.user.id !== user.id) throw forbidden("identity:list_application_credentials");
    let creds = Object.values(ctx.id.appCreds).filter((c) => c.userId === user.id);
    const name = ctx.req.query.get("name");
    if (name !== null) creds = creds.filter((c) => c.name === name);
    return jsonResponse(200, {
      application_credentials: creds.map((c) => renderAppCred(ctx, c)),
      links: listLinks(ctx, `/users/${user.id}/application_credentials`),
    });
  });
  r.post("/v3/users/:id/application_credentials", (ctx, p) => {
    const auth = ctx.auth();
    const user = getUser(ctx, p.id ?? "");
    if (auth.user.id !== user.id) throw forbidden("identity:create_application_credential");
    if (auth.projectId === null)
      throw unauthorized("Application credentials require a project-scoped token.");
    if (auth.token.appCredId !== null) {
      const parent = ctx.id.appCreds[auth.token.appCredId];
      if (!parent?.unrestricted) throw forbidden("identity:create_application_credential");
    }
    const c = member(body(ctx), "application_credential", "");
    const name = optString(c, "name", "");
    if (name === undefined || name.length === 0) throw schemaError("name", "'name' is a required property");
    if (Object.values(ctx.id.appCreds).some((x) => x.userId === user.id && x.name === name)) {
      throw new ApiError(
        409,
        `Conflict occurred attempting to store application_credential - Duplicate entry found with name ${name}.`,
      );
    }
    const tokenRoleIds = new Set(auth.roles.map((r0) => r0.id));
    let roleIds = [...tokenRoleIds];
    if (c.roles !== undefined) {
      if (!Array.isArray(c.roles))
        throw schemaError("roles", `${JSON.stringify(c.roles)} is not of type 'array'`);
      roleIds = c.roles.map((ref) => {
        if (!isObject(ref)) throw schemaError("roles", `${JSON.stringify(ref)} is not of type 'object'`);
        const role =
          typeof ref.id === "string"
            ? ctx.id.roles[ref.id]
            : Object.values(ctx.id.roles).find((x) => x.name === ref.name);
        if (!role) throw notFound("role", String(ref.id ?? ref.name));
        if (!tokenRoleIds.has(role.id)) throw forbidden("identity:create_application_credential");
        return role.id;
      });
    }
    let expiresAt: number | null = null;
    const exp = optString(c, "expires_at", "");
    if (exp !== undefined) {
      const t = Date.parse(exp.endsWith("Z") || /[+-]\d\d:?\d\d$/.test(exp) ? exp : `${exp}Z`);
      if (Number.isNaN(t)) throw schemaError("expires_at", `'${exp}' is not a 'date-time'`);
      if (t <= Date.now()) throw new ApiError(400, `The expiration date is in the past.`);
      expiresAt = t;
    }
    const secret = optString(c, "secret", "") ?? randomToken(64);
    const cred: AppCredential = {
      id: hexId(),
      name,
      userId: user.id,
      projectId: auth.projectId,
      description: optString(c, "description", "") ?? null,
      secretHash: hashSecret(secret),
      expiresAt,
      roleIds,
      unrestricted: optBool(c, "unrestricted") ?? false,
      createdAt: Date.now(),
    };
    ctx.id.appCreds[cred.id] = cred;
    ctx.core.store.changed();
    return jsonResponse(201, { application_credential: { ...renderAppCred(ctx, cred), secret } });
  });
  r.get("/v3/users/:id/application_credentials/:cid", (ctx, p) => {
    const auth = ctx.auth();
    const cred = ctx.id.appCreds[p.cid ?? ""];
    if (!auth.isAdmin && auth.user.id !== p.id) throw forbidden("identity:get_application_credential");
    if (!cred || cred.userId !== p.id) throw notFound("application credential", p.cid ?? "");
    return jsonResponse(200, { application_credential: renderAppCred(ctx, cred) });
  });
  r.delete("/v3/users/:id/application_credentials/:cid", (ctx, p) => {
    const auth = ctx.auth();
    if (!auth.isAdmin && auth.user.id !== p.id) throw forbidden("identity:delete_application_credential");
    const cred = ctx.id.appCreds[p.cid ?? ""];
    if (!cred || cred.userId !== p.id) throw notFound("application credential", p.cid ?? "");
    if (auth.token.appCredId !== null && !ctx.id.appCreds[auth.token.appCredId]?.unrestricted) {
      throw forbidden("identity:delete_application_credential");
    }
    delete ctx.id.appCreds[cred.id];
    ctx.core.store.changed();
    return emptyResponse(204);
  });

  // --- roles
  r.get("/v3/roles", (ctx) => {
    ctx.auth();
    const roles = filterBy(Object.values(ctx.id.roles), ctx.req.query, ["name", "domain_id"]);
    return jsonResponse(200, {
      roles: roles.map((x) => renderRole(ctx, x)),
      links: listLinks(ctx, "/roles"),
    });
  });
  r.post("/v3/roles", (ctx) => {
    requireAdmin(ctx, "identity:create_role");
    const ro = member(body(ctx), "role", "");
    const name = optString(ro, "name", "");
    if (name === undefined || name.length === 0) throw schemaError("name", "'name' is a required property");
    if (Object.values(ctx.id.roles).some((x) => x.name === name)) {
      throw new ApiError(
        409,
        `Conflict occurred attempting to store role - Duplicate entry found with name ${name}.`,
      );
    }
    const role: Role = {
      id: hexId(),
      name,
      domain_id: null,
      description: optString(ro, "description", "") ?? null,
      options: {},
    };
    ctx.id.roles[role.id] = role;
    ctx.core.store.changed();
    return jsonResponse(201, { role: renderRole(ctx, role) });
  });
  r.get("/v3/roles/:id", (ctx, p) => {
    ctx.auth();
    return jsonResponse(200, { role: renderRole(ctx, getRole(ctx, p.id ?? "")) });
  });
  r.delete("/v3/roles/:id", (ctx, p) => {
    requireAdmin(ctx, "identity:delete_role");
    const role = getRole(ctx, p.id ?? "");
    ctx.id.assignments = ctx.id.assignments.filter((a) => a.roleId !== role.id);
    delete ctx.id.roles[role.id];
    ctx.core.store.changed();
    return emptyResponse(204);
  });

  // --- role assignments on projects and domains
  for (const target of ["projects", "domains"] as const) {
    const scopeOf = (ctx: Ctx, id: string): { projectId: string | null; domainId: string | null } => {
      if (target === "projects") return { projectId: getProject(ctx, id).id, domainId: null };
      return { projectId: null, domainId: getDomain(ctx, id).id };
    };
    const find = (
      ctx: Ctx,
      s: { projectId: string | null; domainId: string | null },
      userId: string,
      roleId: string,
    ): number =>
      ctx.id.assignments.findIndex(
        (a) =>
          a.userId === userId &&
          a.roleId === roleId &&
          a.projectId === s.projectId &&
          a.domainId === s.domainId,
      );
    const missing = (roleId: string, userId: string, targetId: string): ApiError =>
      new ApiError(
        404,
        `Could not find role assignment with role: ${roleId}, user or group: ${userId}, project, domain, or system: ${targetId}.`,
      );

    r.get(`/v3/${target}/:tid/users/:uid/roles`, (ctx, p) => {
      const auth = ctx.auth();
      const s = scopeOf(ctx, p.tid ?? "");
      getUser(ctx, p.uid ?? "");
      if (!auth.isAdmin && auth.user.id !== p.uid) throw forbidden("identity:list_grants");
      const roles = ctx.id.assignments
        .filter((a) => a.userId === p.uid && a.projectId === s.projectId && a.domainId === s.domainId)
        .flatMap((a) => (ctx.id.roles[a.roleId] ? [ctx.id.roles[a.roleId] as Role] : []));
      return jsonResponse(200, {
        roles: roles.map((x) => renderRole(ctx, x)),
        links: listLinks(ctx, `/${target}/${p.tid}/users/${p.uid}/roles`),
      });
    });
    r.put(`/v3/${target}/:tid/users/:uid/roles/:rid`, (ctx, p) => {
      requireAdmin(ctx, "identity:create_grant");
      const s = scopeOf(ctx, p.tid ?? "");
      const user = getUser(ctx, p.uid ?? "");
      const role = getRole(ctx, p.rid ?? "");
      if (find(ctx, s, user.id, role.id) < 0) {
        const a: Assignment = {
          roleId: role.id,
          userId: user.id,
          projectId: s.projectId,
          domainId: s.domainId,
        };
        ctx.id.assignments.push(a);
        ctx.core.store.changed();
      }
      return emptyResponse(204);
    });
    for (const method of ["GET", "HEAD"]) {
      r.on(method, `/v3/${target}/:tid/users/:uid/roles/:rid`, (ctx, p) => {
        const auth = ctx.auth();
        if (!auth.isAdmin && auth.user.id !== p.uid) throw forbidden("identity:check_grant");
        const s = scopeOf(ctx, p.tid ?? "");
        getUser(ctx, p.uid ?? "");
        getRole(ctx, p.rid ?? "");
        if (find(ctx, s, p.uid ?? "", p.rid ?? "") < 0) throw missing(p.rid ?? "", p.uid ?? "", p.tid ?? "");
        return emptyResponse(204);
      });
    }
    r.delete(`/v3/${target}/:tid/users/:uid/roles/:rid`, (ctx, p) => {
      requireAdmin(ctx, "identity:revoke_grant");
      const s = scopeOf(ctx, p.tid ?? "");
      getUser(ctx, p.uid ?? "");
      getRole(ctx, p.rid ?? "");
      const index = find(ctx, s, p.uid ?? "", p.rid ?? "");
      if (index < 0) throw missing(p.rid ?? "", p.uid ?? "", p.tid ?? "");
      ctx.id.assignments.splice(index, 1);
      ctx.core.store.changed();
      return emptyResponse(204);
    });
  }

  r.get("/v3/role_assignments", (ctx) => listRoleAssignments(ctx));
  return r;
}

function listRoleAssignments(ctx: Ctx): SimResponse {
  const auth = ctx.auth();
  const q = ctx.req.query;
  const userId = q.get("user.id");
  if (!auth.isAdmin && userId !== auth.user.id) throw forbidden("identity:list_role_assignments");
  const includeNames = queryBool(q.get("include_names")) ?? false;
  const effective = q.get("effective") !== null && queryBool(q.get("effective")) !== false;
  let rows = ctx.id.assignments.map((a) => ({ ...a, prior: null as string | null }));
  if (effective) {
    // Implied roles appear as extra rows, linked to the assignment they came from.
    const extra: typeof rows = [];
    for (const a of rows) {
      const name = ctx.id.roles[a.roleId]?.name ?? "";
      for (const impliedName of expandRoleNames([name])) {
        if (impliedName === name) continue;
        const implied = Object.values(ctx.id.roles).find((x) => x.name === impliedName);
        if (implied) extra.push({ ...a, roleId: implied.id, prior: a.roleId });
      }
    }
    rows = [...rows, ...extra];
  }
  const projectId = q.get("scope.project.id");
  const domainId = q.get("scope.domain.id");
  const roleId = q.get("role.id");
  if (userId !== null) rows = rows.filter((a) => a.userId === userId);
  if (projectId !== null) rows = rows.filter((a) => a.projectId === projectId);
  if (domainId !== null) rows = rows.filter((a) => a.domainId === domainId);
  if (roleId !== null) rows = rows.filter((a) => a.roleId === roleId);
  const named = <T extends { id: string }>(
    obj: T,
    name: string | undefined,
    domain?: Domain,
  ): Record<string, unknown> =>
    includeNames
      ? { ...obj, name: name ?? "", ...(domain ? { domain: { id: domain.id, name: domain.name } } : {}) }
      : obj;
  const out = rows.map((a) => {
    const role = ctx.id.roles[a.roleId];
    const user = ctx.id.users[a.userId];
    const scopePath = a.projectId !== null ? `projects/${a.projectId}` : `domains/${a.domainId ?? ""}`;
    const links: Record<string, string> = {
      assignment: `${ctx.root}/v3/${scopePath}/users/${a.userId}/roles/${a.prior ?? a.roleId}`,
    };
    if (a.prior !== null) links.prior_role = `${ctx.root}/v3/roles/${a.prior}`;
    let scope: Record<string, unknown>;
    if (a.projectId !== null) {
      const project = ctx.id.projects[a.projectId];
      scope = {
        project: named(
          { id: a.projectId },
          project?.name,
          project ? ctx.id.domains[project.domain_id] : undefined,
        ),
      };
    } else {
      scope = { domain: named({ id: a.domainId ?? "" }, ctx.id.domains[a.domainId ?? ""]?.name) };
    }
    return {
      links,
      role: named({ id: a.roleId }, role?.name),
      scope,
      user: named({ id: a.userId }, user?.name, user ? ctx.id.domains[user.domain_id] : undefined),
    };
  });
  return jsonResponse(200, { role_assignments: out, links: listLinks(ctx, "/role_assignments") });
}

// ---------------------------------------------------------------- helpers

function projectsOfUser(ctx: Ctx, userId: string): Project[] {
  const ids = new Set(
    ctx.id.assignments.filter((a) => a.userId === userId && a.projectId).map((a) => a.projectId as string),
  );
  return [...ids].flatMap((id) => {
    const p = ctx.id.projects[id];
    return p ? [p] : [];
  });
}

function deleteProject(ctx: Ctx, projectId: string): void {
  ctx.id.assignments = ctx.id.assignments.filter((a) => a.projectId !== projectId);
  for (const [id, cred] of Object.entries(ctx.id.appCreds))
    if (cred.projectId === projectId) delete ctx.id.appCreds[id];
  for (const user of Object.values(ctx.id.users))
    if (user.default_project_id === projectId) user.default_project_id = null;
  delete ctx.id.projects[projectId];
}

function deleteUser(ctx: Ctx, userId: string): void {
  ctx.id.assignments = ctx.id.assignments.filter((a) => a.userId !== userId);
  for (const [id, cred] of Object.entries(ctx.id.appCreds))
    if (cred.userId === userId) delete ctx.id.appCreds[id];
  revokeTokensOf(ctx, userId);
  delete ctx.id.passwords[userId];
  delete ctx.id.users[userId];
}

function revokeTokensOf(ctx: Ctx, userId: string): void {
  for (const token of Object.values(ctx.id.tokens)) if (token.userId === userId) token.revoked = true;
}

function stringArray(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every((v) => typeof v === "string"))
    throw schemaError("tags", `${JSON.stringify(value)} is not of type 'array'`);
  return value;
}

function extraFields(obj: Record<string, unknown>, known: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) if (!known.includes(k)) out[k] = v;
  return out;
}

/** Keystone list filters: exact match on the given attributes; booleans accept "true"/"false". */
function filterBy<T extends object>(rows: T[], query: URLSearchParams, keys: string[]): T[] {
  return rows.filter((row) =>
    keys.every((key) => {
      const wanted = query.get(key);
      if (wanted === null) return true;
      const actual = (row as Record<string, unknown>)[key];
      if (typeof actual === "boolean") return actual === queryBool(wanted);
      return actual === wanted;
    }),
  );
}
