// The activity log's filters as URL search params (so a view is a link) and as the input of the
// list, live feed and export. Time ranges are presets relative to when they were chosen, or custom.

export const OUTCOMES = ["success", "failure", "denied"] as const;
export type Outcome = (typeof OUTCOMES)[number];

export const RANGES = [
  { id: "15m", label: "Last 15 minutes", ms: 15 * 60_000 },
  { id: "1h", label: "Last hour", ms: 3_600_000 },
  { id: "24h", label: "Last 24 hours", ms: 86_400_000 },
  { id: "7d", label: "Last 7 days", ms: 7 * 86_400_000 },
  { id: "30d", label: "Last 30 days", ms: 30 * 86_400_000 },
  { id: "90d", label: "Last 90 days", ms: 90 * 86_400_000 },
] as const;
export type RangeId = (typeof RANGES)[number]["id"] | "all" | "custom";

export interface ActivityFilters {
  q: string;
  action: string;
  actor: string;
  project: string;
  outcome: Outcome | "";
  kind: string;
  range: RangeId;
  /** Custom range bounds, ISO strings (only with range "custom"). */
  from: string;
  to: string;
}

export const EMPTY_FILTERS: ActivityFilters = {
  q: "",
  action: "",
  actor: "",
  project: "",
  outcome: "",
  kind: "",
  range: "all",
  from: "",
  to: "",
};

const isIso = (s: string | null): s is string => !!s && !Number.isNaN(Date.parse(s));

export function parseFilters(params: URLSearchParams): ActivityFilters {
  const outcome = params.get("outcome") ?? "";
  const range = params.get("range") ?? "";
  const from = params.get("from");
  const to = params.get("to");
  const custom = isIso(from) || isIso(to);
  return {
    q: params.get("q") ?? "",
    action: params.get("action") ?? "",
    actor: params.get("actor") ?? "",
    project: params.get("project") ?? "",
    outcome: (OUTCOMES as readonly string[]).includes(outcome) ? (outcome as Outcome) : "",
    kind: params.get("kind") ?? "",
    range: RANGES.some((r) => r.id === range) ? (range as RangeId) : custom ? "custom" : "all",
    from: custom && isIso(from) ? from : "",
    to: custom && isIso(to) ? to : "",
  };
}

/** Writes the filters over the current params (other keys are kept); empty values are dropped. */
export function writeFilters(params: URLSearchParams, f: ActivityFilters): URLSearchParams {
  const next = new URLSearchParams(params);
  const set = (k: string, v: string) => (v ? next.set(k, v) : next.delete(k));
  set("q", f.q.trim());
  set("action", f.action);
  set("actor", f.actor.trim());
  set("project", f.project);
  set("outcome", f.outcome);
  set("kind", f.kind);
  set("range", f.range === "all" || f.range === "custom" ? "" : f.range);
  set("from", f.range === "custom" ? f.from : "");
  set("to", f.range === "custom" ? f.to : "");
  return next;
}

export function isFiltered(f: ActivityFilters): boolean {
  return Boolean(f.q || f.action || f.actor || f.project || f.outcome || f.kind || f.range !== "all");
}

/** The API's filter input; a preset counts back from `anchor` (when it was chosen or refreshed). */
export function toQueryInput(f: ActivityFilters, anchor: number) {
  const preset = RANGES.find((r) => r.id === f.range);
  return {
    ...(f.q.trim() ? { q: f.q.trim() } : {}),
    ...(f.action ? { action: f.action } : {}),
    ...(f.actor.trim() ? { actor: f.actor.trim() } : {}),
    ...(f.project ? { project: f.project } : {}),
    ...(f.outcome ? { outcome: f.outcome } : {}),
    ...(f.kind ? { targetKind: f.kind } : {}),
    ...(preset ? { from: new Date(anchor - preset.ms).toISOString() } : {}),
    ...(f.range === "custom" && f.from ? { from: new Date(f.from).toISOString() } : {}),
    ...(f.range === "custom" && f.to ? { to: new Date(f.to).toISOString() } : {}),
  };
}

/** New events can only match when the range reaches the present. */
export function rangeIsLive(f: ActivityFilters, now = Date.now()): boolean {
  return f.range !== "custom" || !f.to || Date.parse(f.to) > now;
}

/** The export URL of the same view (the server streams the file). */
export function exportUrl(org: string, format: "csv" | "json", input: Record<string, string>): string {
  const params = new URLSearchParams({ format, ...input });
  return `/api/tenant/v1/organizations/${encodeURIComponent(org)}/audit-events/export?${params.toString()}`;
}

/** "2026-01-31T09:00" (the value of a datetime-local input) in the browser's zone ↔ ISO. */
export function toLocalInput(iso: string): string {
  if (!iso) return "";
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function fromLocalInput(value: string): string {
  if (!value) return "";
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? "" : d.toISOString();
}

/** "resourcemanager.project.create" → "Create project"; unknown shapes stay as they are. */
export function describeAction(action: string): string {
  const parts = action.split(".");
  const job = parts[0] === "job";
  if (parts.length < 3) return action;
  const resource = parts[parts.length - 2]!;
  const verb = parts[parts.length - 1]!;
  const noun = RESOURCE_NAMES[resource] ?? resource.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
  const phrase = `${VERBS[verb] ?? verb[0]!.toUpperCase() + verb.slice(1)} ${noun}`;
  return job ? `Job: ${phrase.toLowerCase()}` : phrase;
}

const VERBS: Record<string, string> = {
  create: "Create",
  update: "Update",
  delete: "Delete",
  invite: "Invite",
  suspend: "Suspend",
  reactivate: "Reactivate",
  approve: "Approve",
  reject: "Reject",
  export: "Export",
  action: "Act on",
  provision: "Provision",
  list: "List",
  get: "Read",
  verify: "Verify",
};

const RESOURCE_NAMES: Record<string, string> = {
  rolebinding: "role assignment",
  securitygroup: "security group",
  quotarequest: "quota request",
  keypair: "key pair",
  event: "activity log",
  organization: "organisation",
};

/**
 * Does an event fit the view's structured filters? The server filters the live feed already; the
 * view checks again so an event of an earlier filter set, delivered late, is never shown under
 * the new one. Free text (q) and time bounds are left to the server.
 */
export function matchesFilters(
  e: {
    action: string;
    outcome: string;
    actor: { id: string | null; email: string | null };
    project: { id: string; slug: string | null } | null;
    target: { kind: string } | null;
  },
  f: ActivityFilters,
): boolean {
  if (
    f.action &&
    (f.action.endsWith("*") ? !e.action.startsWith(f.action.slice(0, -1)) : e.action !== f.action)
  )
    return false;
  if (f.outcome && e.outcome !== f.outcome) return false;
  if (f.kind && e.target?.kind !== f.kind) return false;
  if (f.project && e.project?.id !== f.project && e.project?.slug !== f.project) return false;
  const actor = f.actor.trim().toLowerCase();
  if (actor && e.actor.id !== actor && e.actor.email?.toLowerCase() !== actor) return false;
  return true;
}
