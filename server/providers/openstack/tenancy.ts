// Tenancy mapping: organisation = Keystone domain, portal project = Keystone project. Every
// ensure* is safe to retry: the org/project id is written on the upstream object and found again.
import { AppError } from "../../errors";
import { getOpenStack, type CallContext, type OpenStack, type ScopedClient } from "./client";
import type { Domain, Project, Role } from "./identity";

export interface OrgRef {
  orgId: string;
  slug: string;
  name: string;
}

export interface ProjectRef {
  /** Keystone domain of the organisation (from ensureOrgDomain). */
  domainId: string;
  /** The portal's project id. */
  projectId: string;
  slug: string;
  name: string;
}

export interface TenancyOptions {
  /**
   * Roles the portal's service user gets on each project. Deliberately not `admin`: under
   * OpenStack's legacy policies an admin token of any project reaches every project.
   */
  serviceRoles?: string[];
  /** Prefix of domain names (Keystone domain names are global). */
  domainPrefix?: string;
}

const MEMBER_ALIASES = ["member", "Member", "_member_"];

export function orgMarker(orgId: string): string {
  return `(cirrus org ${orgId})`;
}

export function projectMarker(projectId: string): string {
  return `(cirrus project ${projectId})`;
}

export function projectTag(projectId: string): string {
  return `cirrus-project:${projectId}`.slice(0, 255);
}

/** Keystone names allow most characters, but we keep them readable and within 64 characters. */
function domainName(prefix: string, slug: string, suffix?: string): string {
  const base = `${prefix}${slug}`.replace(/[^A-Za-z0-9_.-]/g, "-");
  return (suffix ? `${base.slice(0, 64 - suffix.length - 1)}-${suffix}` : base).slice(0, 64);
}

function isConflict(e: unknown): boolean {
  return e instanceof AppError && e.code === "CONFLICT";
}

export class Tenancy {
  private readonly roleCache = new Map<string, Role[]>();
  private readonly serviceRoles: string[];
  private readonly domainPrefix: string;

  constructor(
    readonly os: OpenStack,
    opts: TenancyOptions = {},
  ) {
    this.serviceRoles = opts.serviceRoles ?? ["member", "load-balancer_member"];
    this.domainPrefix = opts.domainPrefix ?? "cirrus-";
  }

  private admin(region: string, ctx?: CallContext): ScopedClient {
    return this.os.admin(region, ctx);
  }

  /** Finds or creates the organisation's domain (name from the slug, org id in the description). */
  async ensureOrgDomain(region: string, org: OrgRef, ctx?: CallContext): Promise<Domain> {
    const identity = this.admin(region, ctx).identity;
    const marker = orgMarker(org.orgId);
    const candidates = [
      domainName(this.domainPrefix, org.slug),
      domainName(this.domainPrefix, org.slug, org.orgId.slice(0, 8)),
    ];
    for (const name of candidates) {
      const [existing] = await identity.listDomains({ name });
      if (existing?.description?.includes(marker)) return existing;
      if (existing) continue; // the name belongs to another organisation (or a human): try the next
      try {
        return await identity.createDomain({ name, description: `${org.name} ${marker}`, enabled: true });
      } catch (e) {
        if (!isConflict(e)) throw e;
        // another worker won the race: it is ours if it carries our marker
        const [raced] = await identity.listDomains({ name });
        if (raced?.description?.includes(marker)) return raced;
      }
    }
    throw new AppError("CONFLICT", `No free Keystone domain name for organisation ${org.slug}`, {
      details: { region, tried: candidates },
    });
  }

  /**
   * Finds or creates the project in the org's domain and grants the portal's service user its
   * roles there, so that forProject() can get a token scoped to this one project.
   */
  async ensureProject(region: string, ref: ProjectRef, ctx?: CallContext): Promise<Project> {
    const admin = this.admin(region, ctx);
    const identity = admin.identity;
    const marker = projectMarker(ref.projectId);
    let project = await this.findProject(region, ref, ctx);
    if (!project) {
      const name = ref.slug;
      try {
        project = await identity.createProject({
          name,
          domainId: ref.domainId,
          description: `${ref.name} ${marker}`,
          tags: [projectTag(ref.projectId)],
        });
      } catch (e) {
        if (!isConflict(e)) throw e;
        project = await this.findProject(region, ref, ctx);
        if (!project) {
          // the slug is taken in this domain by something else: disambiguate with the id
          project = await identity.createProject({
            name: `${name}-${ref.projectId.slice(0, 8)}`,
            domainId: ref.domainId,
            description: `${ref.name} ${marker}`,
            tags: [projectTag(ref.projectId)],
          });
        }
      }
    }
    const token = await admin.token();
    for (const role of await this.resolveRoles(region, ctx)) {
      await identity.grantProjectRole(project.id, token.userId, role.id);
    }
    // a token cached before the grant would lack the roles
    this.os.invalidateToken(region, { kind: "project", projectId: project.id });
    return project;
  }

  async findProject(region: string, ref: ProjectRef, ctx?: CallContext): Promise<Project | undefined> {
    const identity = this.admin(region, ctx).identity;
    const marker = projectMarker(ref.projectId);
    const ours = (p: Project) =>
      (p.tags?.includes(projectTag(ref.projectId)) ?? false) || (p.description?.includes(marker) ?? false);
    for (const name of [ref.slug, `${ref.slug}-${ref.projectId.slice(0, 8)}`]) {
      const found = (await identity.listProjects({ domainId: ref.domainId, name })).find(ours);
      if (found) return found;
    }
    // renamed since: fall back to every project of the domain
    return (await identity.listProjects({ domainId: ref.domainId })).find(ours);
  }

  /** Deletes the Keystone project (its resources must be gone already; Keystone does not cascade). */
  async deleteProject(region: string, keystoneProjectId: string, ctx?: CallContext): Promise<void> {
    try {
      await this.admin(region, ctx).identity.deleteProject(keystoneProjectId);
    } catch (e) {
      if (!(e instanceof AppError && e.code === "NOT_FOUND")) throw e;
    }
    this.os.invalidateToken(region, { kind: "project", projectId: keystoneProjectId });
  }

  /** Disables the domain: its users and projects can no longer get tokens. */
  async disableDomain(region: string, domainId: string, ctx?: CallContext): Promise<void> {
    try {
      await this.admin(region, ctx).identity.updateDomain(domainId, { enabled: false });
    } catch (e) {
      if (!(e instanceof AppError && e.code === "NOT_FOUND")) throw e;
    }
  }

  /** Deletes a domain (disabled first, as Keystone requires). */
  async deleteDomain(region: string, domainId: string, ctx?: CallContext): Promise<void> {
    await this.disableDomain(region, domainId, ctx);
    try {
      await this.admin(region, ctx).identity.deleteDomain(domainId);
    } catch (e) {
      if (!(e instanceof AppError && e.code === "NOT_FOUND")) throw e;
    }
  }

  /** A client whose token is scoped to this one project. */
  forProject(region: string, keystoneProjectId: string, ctx?: CallContext): ScopedClient {
    return this.os.forProject(region, keystoneProjectId, ctx);
  }

  private async resolveRoles(region: string, ctx?: CallContext): Promise<Role[]> {
    let all = this.roleCache.get(region);
    if (!all) {
      all = await this.admin(region, ctx).identity.listRoles();
      this.roleCache.set(region, all);
    }
    const byName = new Map(all.map((r) => [r.name, r]));
    const out: Role[] = [];
    for (const wanted of this.serviceRoles) {
      const names = MEMBER_ALIASES.includes(wanted) ? [wanted, ...MEMBER_ALIASES] : [wanted];
      const role = names.map((n) => byName.get(n)).find((r) => r !== undefined);
      if (role) out.push(role);
      else if (MEMBER_ALIASES.includes(wanted)) {
        throw new AppError("UPSTREAM_ERROR", `Region ${region} has no member role to grant the portal`, {
          details: { region },
        });
      }
      // optional roles (e.g. load-balancer_member) exist only where the service is deployed
    }
    return out;
  }
}

let shared: Tenancy | undefined;

function tenancy(): Tenancy {
  const os = getOpenStack();
  if (shared?.os !== os) shared = new Tenancy(os);
  return shared;
}

export const ensureOrgDomain = (region: string, org: OrgRef, ctx?: CallContext) =>
  tenancy().ensureOrgDomain(region, org, ctx);
export const ensureProject = (region: string, ref: ProjectRef, ctx?: CallContext) =>
  tenancy().ensureProject(region, ref, ctx);
export const deleteProject = (region: string, keystoneProjectId: string, ctx?: CallContext) =>
  tenancy().deleteProject(region, keystoneProjectId, ctx);
export const disableDomain = (region: string, domainId: string, ctx?: CallContext) =>
  tenancy().disableDomain(region, domainId, ctx);
export const forProject = (region: string, keystoneProjectId: string, ctx?: CallContext) =>
  getOpenStack().forProject(region, keystoneProjectId, ctx);
