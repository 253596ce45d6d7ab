// The console's navigation by service, and the URL rules it rests on: which first path segments
// are not organisations, and which second segments are org pages rather than projects.
import {
  Activity,
  Boxes,
  Building2,
  Cpu,
  Disc3,
  FolderKanban,
  Gauge,
  HardDrive,
  Inbox,
  KeyRound,
  LayoutDashboard,
  ListChecks,
  Network,
  Server,
  Shield,
  ShieldCheck,
  SlidersHorizontal,
  Users,
  type LucideIcon,
} from "lucide-react";

/** First path segments that are console pages, never organisation slugs. */
export const RESERVED_ROOT = new Set([
  "sign-in",
  "settings",
  "admin",
  "api",
  "notifications",
  "invite",
  "_next",
]);

/**
 * Second path segments that are organisation pages (/acme/projects), never project slugs. The
 * project service should refuse these as slugs so a project can never be shadowed.
 */
export const ORG_PAGES = new Set([
  "projects",
  "iam",
  "quotas",
  "quota-requests",
  "activity",
  "jobs",
  "settings",
]);

export interface NavScope {
  org: string | null;
  project: string | null;
}

/** Org and project slugs of a console path. */
export function scopeFromPath(pathname: string): NavScope {
  const [first, second] = pathname.split("/").filter(Boolean);
  if (!first || RESERVED_ROOT.has(first)) return { org: null, project: null };
  return { org: first, project: second && !ORG_PAGES.has(second) ? second : null };
}

export interface NavItem {
  id: string;
  label: string;
  icon: LucideIcon;
  /** Null: the page does not exist yet (shown as "coming soon"). */
  href: ((s: { org: string; project: string | null }) => string | null) | null;
  /** Needs a project in scope (disabled with a hint otherwise). */
  needsProject?: boolean;
  /** Any of these permissions at the current scope shows the entry (none: always). */
  anyOf?: string[];
  /** Extra words the command palette matches. */
  keywords?: string;
}

export interface NavSection {
  id: string;
  label: string | null;
  items: NavItem[];
  /** Only for platform operators. */
  platform?: boolean;
}

/** A page inside the current project; none (disabled with a hint) outside one. */
const projectPage =
  (path: string) =>
  ({ org, project }: { org: string; project: string | null }): string | null =>
    project ? `/${org}/${project}/${path}` : null;

export const NAV: NavSection[] = [
  {
    id: "home",
    label: null,
    items: [
      {
        id: "dashboard",
        label: "Dashboard",
        icon: LayoutDashboard,
        href: ({ org, project }) => (project ? `/${org}/${project}` : `/${org}`),
        keywords: "home overview",
      },
    ],
  },
  {
    id: "compute",
    label: "Compute",
    items: [
      {
        id: "instances",
        label: "Instances",
        icon: Server,
        href: projectPage("compute/instances"),
        needsProject: true,
        anyOf: ["compute.instance.list"],
        keywords: "compute virtual machines vm servers",
      },
      {
        id: "images",
        label: "Images",
        icon: Disc3,
        href: projectPage("compute/images"),
        needsProject: true,
        anyOf: ["compute.image.list"],
        keywords: "compute os templates snapshots glance",
      },
      {
        id: "keypairs",
        label: "Key pairs",
        icon: KeyRound,
        href: projectPage("compute/key-pairs"),
        needsProject: true,
        anyOf: ["compute.keypair.list"],
        keywords: "compute ssh keys",
      },
      {
        id: "flavors",
        label: "Flavors",
        icon: Cpu,
        href: projectPage("compute/flavors"),
        needsProject: true,
        anyOf: ["compute.flavor.list"],
        keywords: "compute sizes machine types vcpu ram",
      },
    ],
  },
  {
    id: "network",
    label: "Network",
    items: [
      {
        id: "networks",
        label: "Networks",
        icon: Network,
        href: projectPage("network/networks"),
        needsProject: true,
        anyOf: ["network.network.list"],
        keywords: "vpc subnets cidr",
      },
      {
        id: "security-groups",
        label: "Security groups",
        icon: Shield,
        href: projectPage("network/security-groups"),
        needsProject: true,
        anyOf: ["network.securitygroup.list"],
        keywords: "firewall rules ports",
      },
    ],
  },
  {
    id: "services",
    label: "Services",
    items: [
      {
        id: "storage",
        label: "Storage",
        icon: HardDrive,
        href: null,
        keywords: "volumes buckets object block",
      },
      { id: "kubernetes", label: "Kubernetes", icon: Boxes, href: null, keywords: "clusters k8s containers" },
    ],
  },
  {
    id: "governance",
    label: "Governance",
    items: [
      {
        id: "projects",
        label: "Projects",
        icon: FolderKanban,
        href: ({ org }) => `/${org}/projects`,
        anyOf: ["resourcemanager.project.list"],
      },
      {
        id: "users",
        label: "Users",
        icon: Users,
        href: ({ org }) => `/${org}/iam/users`,
        anyOf: ["iam.user.list"],
      },
      {
        id: "roles",
        label: "Roles",
        icon: ShieldCheck,
        href: ({ org }) => `/${org}/iam/roles`,
        anyOf: ["iam.role.list"],
        keywords: "permissions access",
      },
      {
        id: "quotas",
        label: "Quotas",
        icon: Gauge,
        href: ({ org, project }) => (project ? `/${org}/${project}/quotas` : `/${org}/quotas`),
        anyOf: ["quota.org.read", "quota.project.read"],
        keywords: "limits usage",
      },
      {
        id: "quota-requests",
        label: "Quota requests",
        icon: Inbox,
        href: ({ org }) => `/${org}/quota-requests`,
        anyOf: ["quota.request.list", "quota.request.create"],
        keywords: "increase approve",
      },
      {
        id: "activity",
        label: "Activity log",
        icon: Activity,
        href: ({ org }) => `/${org}/activity`,
        anyOf: ["audit.event.list"],
        keywords: "audit events history",
      },
      {
        id: "jobs",
        label: "Jobs",
        icon: ListChecks,
        // The project's jobs inside a project, the organisation's (running first) outside one.
        href: ({ org, project }) => (project ? `/${org}/${project}/jobs` : `/${org}/jobs`),
        anyOf: ["job.job.list"],
        keywords: "tasks operations progress",
      },
    ],
  },
  {
    id: "admin",
    label: "Admin",
    platform: true,
    items: [
      {
        id: "admin-orgs",
        label: "Organisations",
        icon: Building2,
        href: () => "/admin/organizations",
        anyOf: ["platform.organization.list"],
        keywords: "tenants",
      },
      {
        id: "admin-quotas",
        label: "Default quotas",
        icon: SlidersHorizontal,
        href: () => "/admin/quotas",
        anyOf: ["platform.quota.read"],
      },
      {
        id: "admin-requests",
        label: "All quota requests",
        icon: Inbox,
        href: () => "/admin/quota-requests",
        anyOf: ["platform.quotarequest.list"],
      },
    ],
  },
];

/** The section whose href is the longest prefix of the path is the active one. */
export function activeNavId(pathname: string, scope: { org: string; project: string | null }): string | null {
  let best: { id: string; len: number } | null = null;
  for (const section of NAV)
    for (const item of section.items) {
      const href = item.href?.(scope);
      if (!href) continue;
      const exact = item.id === "dashboard";
      const hit = exact ? pathname === href : pathname === href || pathname.startsWith(`${href}/`);
      if (hit && (!best || href.length > best.len)) best = { id: item.id, len: href.length };
    }
  return best?.id ?? null;
}

/** Resource kinds with a page of their own, by the search index's kind. */
const RESOURCE_PAGES: Record<string, (id: string) => string> = {
  instance: (id) => `compute/instances/${id}`,
  image: () => "compute/images",
  keypair: () => "compute/key-pairs",
  flavor: () => "compute/flavors",
  network: () => "network/networks",
  subnet: () => "network/networks",
  security_group: () => "network/security-groups",
  securitygroup: () => "network/security-groups",
};

/** Where a search hit opens: its page when the kind has one, else the project. */
export function resourceHref(hit: {
  kind: string;
  orgSlug: string;
  projectSlug: string;
  type: string;
  id?: string;
}): string {
  const page = hit.type === "resource" && hit.id ? RESOURCE_PAGES[hit.kind] : undefined;
  return page && hit.id
    ? `/${hit.orgSlug}/${hit.projectSlug}/${page(hit.id)}`
    : `/${hit.orgSlug}/${hit.projectSlug}`;
}
