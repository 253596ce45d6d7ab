// Keystone v3 token requests: password (user by name+domain or id, project by id or
// name+domain) and application credentials; parses the token, its roles and service catalog.
import { z } from "zod";
import { AppError } from "../../errors";
import { catalogEntrySchema, type CatalogEntry } from "./catalog";
import type { Credentials, RegionConfig } from "./clouds-config";
import type { ExpiringToken } from "./token-cache";

/** `home`: the scope configured for the service user; `project`: one Keystone project. */
export type TokenScope = { kind: "home" } | { kind: "project"; projectId: string };

export interface KeystoneToken extends ExpiringToken {
  issuedAt: number;
  userId: string;
  userName?: string;
  userDomainId?: string;
  projectId?: string;
  projectName?: string;
  projectDomainId?: string;
  domainId?: string;
  roles: string[];
  catalog: CatalogEntry[];
}

export function scopeKey(region: string, scope: TokenScope): string {
  return scope.kind === "home" ? `${region}|home` : `${region}|project:${scope.projectId}`;
}

type Json = Record<string, unknown>;

function userRef(c: {
  username?: string;
  userId?: string;
  userDomainName?: string;
  userDomainId?: string;
}): Json {
  if (c.userId) return { id: c.userId };
  return {
    name: c.username,
    domain: c.userDomainId ? { id: c.userDomainId } : { name: c.userDomainName ?? "Default" },
  };
}

/** The body of POST /v3/auth/tokens. */
export function authRequestBody(credentials: Credentials, scope: TokenScope): Json {
  if (credentials.kind === "application_credential") {
    if (scope.kind === "project") {
      // An application credential is bound to its project; Keystone refuses any other scope
      throw new AppError(
        "FORBIDDEN",
        "The portal authenticates with an application credential, which cannot act on other projects; configure a password user for tenancy",
        { details: { projectId: scope.projectId } },
      );
    }
    const ac: Json = { secret: credentials.secret };
    if (credentials.id) ac.id = credentials.id;
    else {
      ac.name = credentials.name;
      ac.user = userRef(credentials);
    }
    return { auth: { identity: { methods: ["application_credential"], application_credential: ac } } };
  }
  const identity = {
    methods: ["password"],
    password: { user: { ...userRef(credentials), password: credentials.password } },
  };
  let scopeBody: Json | undefined;
  if (scope.kind === "project") scopeBody = { project: { id: scope.projectId } };
  else if (credentials.projectId) scopeBody = { project: { id: credentials.projectId } };
  else if (credentials.projectName) {
    scopeBody = {
      project: {
        name: credentials.projectName,
        domain: credentials.projectDomainId
          ? { id: credentials.projectDomainId }
          : { name: credentials.projectDomainName ?? "Default" },
      },
    };
  }
  return { auth: { identity, ...(scopeBody ? { scope: scopeBody } : {}) } };
}

const ref = z.looseObject({
  id: z.string(),
  name: z.string().optional(),
  domain: z.looseObject({ id: z.string().optional(), name: z.string().optional() }).optional(),
});

export const tokenBodySchema = z.looseObject({
  token: z.looseObject({
    expires_at: z.string(),
    issued_at: z.string().optional(),
    user: ref,
    project: ref.optional(),
    domain: z.looseObject({ id: z.string(), name: z.string().optional() }).optional(),
    roles: z.array(z.looseObject({ id: z.string().optional(), name: z.string() })).optional(),
    catalog: z.array(catalogEntrySchema).optional(),
  }),
});

/**
 * Builds the token from Keystone's answer. Expiry is measured on our clock from Keystone's own
 * issued/expires pair, so clock skew between the portal and Keystone cannot shorten or stretch it.
 */
export function tokenFromResponse(subjectToken: string, body: unknown, now: number): KeystoneToken {
  const parsed = tokenBodySchema.safeParse(body);
  if (!parsed.success) {
    throw new AppError("UPSTREAM_ERROR", "Keystone returned a token body we could not read", {
      details: {
        service: "identity",
        issues: parsed.error.issues.slice(0, 3).map((i) => `${i.path.join(".")}: ${i.message}`),
      },
    });
  }
  const t = parsed.data.token;
  const expires = Date.parse(t.expires_at);
  const issued = t.issued_at ? Date.parse(t.issued_at) : Number.NaN;
  const lifetime = Number.isFinite(issued) && Number.isFinite(expires) ? expires - issued : expires - now;
  return {
    value: subjectToken,
    issuedAt: now,
    expiresAt: now + Math.max(0, lifetime),
    userId: t.user.id,
    ...(t.user.name ? { userName: t.user.name } : {}),
    ...(t.user.domain?.id ? { userDomainId: t.user.domain.id } : {}),
    ...(t.project ? { projectId: t.project.id } : {}),
    ...(t.project?.name ? { projectName: t.project.name } : {}),
    ...(t.project?.domain?.id ? { projectDomainId: t.project.domain.id } : {}),
    ...(t.domain ? { domainId: t.domain.id } : {}),
    roles: (t.roles ?? []).map((r) => r.name),
    catalog: t.catalog ?? [],
  };
}

export function describeRegionUser(region: RegionConfig): string {
  const c = region.credentials;
  if (c.kind === "application_credential") return `application credential ${c.id ?? c.name ?? "?"}`;
  return `user ${c.userId ?? c.username ?? "?"}`;
}
