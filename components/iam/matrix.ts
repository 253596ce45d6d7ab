// The permission matrix's model, pure so it can be tested: the catalogue grouped by service, one
// row per resource, one column per action of that service; and why a cell cannot be changed.

export interface CatalogueEntry {
  permission: string;
  service: string;
  resource: string;
  action: string;
  description: string;
  scope: "platform" | "org" | "project";
  readOnly: boolean;
}

export interface MatrixRow {
  resource: string;
  /** The resource part alone ("instance" of compute.instance). */
  label: string;
  cells: Record<string, CatalogueEntry | undefined>;
  permissions: string[];
}

export interface MatrixService {
  service: string;
  label: string;
  actions: string[];
  rows: MatrixRow[];
  permissions: string[];
}

const SERVICE_LABELS: Record<string, string> = {
  iam: "Identity and access",
  resourcemanager: "Projects",
  audit: "Activity log",
  quota: "Quotas",
  job: "Jobs",
  compute: "Compute",
  network: "Network",
  storage: "Storage",
  monitoring: "Monitoring",
};

/** Reads first, then writes, then the rest in catalogue order. */
const ACTION_ORDER = ["list", "get", "read", "create", "update", "delete", "action"];

export function serviceLabel(service: string): string {
  return SERVICE_LABELS[service] ?? service.charAt(0).toUpperCase() + service.slice(1);
}

/** Platform permissions never go into organisation roles, so they are not in the matrix. */
export function buildMatrix(catalogue: CatalogueEntry[]): MatrixService[] {
  const services = new Map<string, MatrixService>();
  for (const p of catalogue) {
    if (p.scope === "platform") continue;
    let s = services.get(p.service);
    if (!s) {
      s = { service: p.service, label: serviceLabel(p.service), actions: [], rows: [], permissions: [] };
      services.set(p.service, s);
    }
    if (!s.actions.includes(p.action)) s.actions.push(p.action);
    let row = s.rows.find((r) => r.resource === p.resource);
    if (!row) {
      row = {
        resource: p.resource,
        label: p.resource.slice(p.service.length + 1),
        cells: {},
        permissions: [],
      };
      s.rows.push(row);
    }
    row.cells[p.action] = p;
    row.permissions.push(p.permission);
    s.permissions.push(p.permission);
  }
  const rank = (a: string) => {
    const i = ACTION_ORDER.indexOf(a);
    return i < 0 ? ACTION_ORDER.length : i;
  };
  for (const s of services.values()) s.actions.sort((a, b) => rank(a) - rank(b));
  return [...services.values()];
}

export interface CellContext {
  /** Permissions the editor holds in the organisation. */
  held: ReadonlySet<string>;
  /** Scopes the role may be assigned at. */
  scopes: readonly string[];
  readOnly: boolean;
  /** Permissions the role had when the editor opened (removing those is always allowed). */
  initial: ReadonlySet<string>;
}

/**
 * Why a permission cannot be ticked, or null. Unticking is refused only in read-only mode:
 * removing a permission never escalates anything.
 */
export function lockReason(entry: CatalogueEntry, selected: boolean, ctx: CellContext): string | null {
  if (ctx.readOnly) return "System roles cannot be changed";
  if (selected) return null;
  if (!ctx.held.has(entry.permission))
    return `You do not hold ${entry.permission} in this organisation, so you cannot grant it`;
  if (entry.scope === "org" && !ctx.scopes.includes("org"))
    return `${entry.permission} only applies at organisation scope: allow the Organisation scope first`;
  return null;
}

/** Ticks or unticks a group of permissions, leaving the locked ones as they are. */
export function toggleGroup(
  selected: ReadonlySet<string>,
  group: CatalogueEntry[],
  on: boolean,
  ctx: CellContext,
): Set<string> {
  const next = new Set(selected);
  for (const e of group) {
    const has = next.has(e.permission);
    if (has === on) continue;
    if (lockReason(e, has, ctx)) continue;
    if (on) next.add(e.permission);
    else next.delete(e.permission);
  }
  return next;
}

/** all / some / none of a group ticked, for the select-all checkboxes. */
export function groupState(selected: ReadonlySet<string>, permissions: string[]): "all" | "some" | "none" {
  const n = permissions.filter((p) => selected.has(p)).length;
  return n === 0 ? "none" : n === permissions.length ? "all" : "some";
}

/** Org-only permissions that a project-only role would carry uselessly (the server refuses them). */
export function orgOnlyConflicts(
  selected: ReadonlySet<string>,
  catalogue: CatalogueEntry[],
  scopes: readonly string[],
) {
  if (scopes.includes("org")) return [];
  return catalogue.filter((e) => e.scope === "org" && selected.has(e.permission)).map((e) => e.permission);
}
