// Table state in the URL (search, filters, sort, view, columns, page size), so every view can be
// bookmarked and shared. Pure functions over URLSearchParams; defaults are left out of the URL.

export type TableView = "table" | "cards";

export interface SortState {
  id: string;
  desc: boolean;
}

export interface TableUrlState {
  q: string;
  sort: SortState | null;
  view: TableView;
  /** Visible column ids, or null for the kind's defaults. */
  columns: string[] | null;
  /** Filter id → value; several values of one filter are comma-separated in the URL. */
  filters: Record<string, string[]>;
  /** Page size, or null for the default. */
  limit: number | null;
}

export interface UrlStateOptions {
  /** Prefix for every key, when a page holds more than one table ("jobs." → jobs.q, jobs.sort...). */
  prefix?: string;
  defaultView?: TableView;
  /** Filter ids to read (others are ignored so unrelated params never become filters). */
  filterIds?: readonly string[];
  defaultSort?: SortState | null;
}

const ID = /^[A-Za-z0-9_.:-]{1,64}$/;
export const PAGE_SIZES = [10, 25, 50, 100, 200] as const;

const key = (opts: UrlStateOptions | undefined, name: string) => `${opts?.prefix ?? ""}${name}`;

export function parseSort(raw: string | null): SortState | null {
  if (!raw) return null;
  const desc = raw.startsWith("-");
  const id = desc ? raw.slice(1) : raw;
  return ID.test(id) ? { id, desc } : null;
}

export function formatSort(sort: SortState | null): string | null {
  return sort ? `${sort.desc ? "-" : ""}${sort.id}` : null;
}

function splitList(raw: string | null): string[] {
  if (!raw) return [];
  return raw
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0 && s.length <= 200);
}

export function parseTableState(params: URLSearchParams, opts?: UrlStateOptions): TableUrlState {
  const view = params.get(key(opts, "view"));
  const cols = params.get(key(opts, "cols"));
  const limitRaw = Number.parseInt(params.get(key(opts, "limit")) ?? "", 10);
  const filters: Record<string, string[]> = {};
  for (const id of opts?.filterIds ?? []) {
    const values = splitList(params.get(key(opts, `f.${id}`)));
    if (values.length > 0) filters[id] = values;
  }
  const sortParam = params.get(key(opts, "sort"));
  return {
    q: (params.get(key(opts, "q")) ?? "").slice(0, 200),
    // "none" records an explicit "no sort" that differs from a kind's default sort.
    sort: sortParam === "none" ? null : (parseSort(sortParam) ?? opts?.defaultSort ?? null),
    view: view === "cards" || view === "table" ? view : (opts?.defaultView ?? "table"),
    columns: cols === null ? null : splitList(cols).filter((c) => ID.test(c)),
    filters,
    limit: (PAGE_SIZES as readonly number[]).includes(limitRaw) ? limitRaw : null,
  };
}

/** A copy of `params` with `patch` applied; values equal to the defaults are removed. */
export function writeTableState(
  params: URLSearchParams,
  patch: Partial<TableUrlState>,
  opts?: UrlStateOptions,
): URLSearchParams {
  const next = new URLSearchParams(params);
  const set = (name: string, value: string | null) => {
    if (value === null || value === "") next.delete(key(opts, name));
    else next.set(key(opts, name), value);
  };
  if ("q" in patch) set("q", patch.q?.trim() ? patch.q.trim() : null);
  if ("sort" in patch) {
    const sort = patch.sort ?? null;
    const def = opts?.defaultSort ?? null;
    const same = formatSort(sort) === formatSort(def);
    set("sort", same ? null : sort ? formatSort(sort) : "none");
  }
  if ("view" in patch)
    set("view", patch.view === (opts?.defaultView ?? "table") ? null : (patch.view ?? null));
  if ("columns" in patch) set("cols", patch.columns ? patch.columns.join(",") || "-" : null);
  if ("limit" in patch) set("limit", patch.limit ? String(patch.limit) : null);
  if ("filters" in patch) {
    for (const id of opts?.filterIds ?? []) next.delete(key(opts, `f.${id}`));
    for (const [id, values] of Object.entries(patch.filters ?? {})) {
      const clean = values.filter((v) => v.length > 0);
      if (clean.length > 0) next.set(key(opts, `f.${id}`), clean.join(","));
    }
  }
  return next;
}

/** The columns to show: the URL's choice (ids that exist), else each column's default. */
export function visibleColumns(
  columns: readonly { id: string; defaultVisible?: boolean; hideable?: boolean }[],
  chosen: string[] | null,
): string[] {
  if (chosen === null) return columns.filter((c) => c.defaultVisible !== false).map((c) => c.id);
  const set = new Set(chosen);
  return columns.filter((c) => set.has(c.id) || c.hideable === false).map((c) => c.id);
}

/** The search string of a view with the page size and unrelated params dropped (for saved views). */
export function viewQuery(params: URLSearchParams, opts?: UrlStateOptions): string {
  const state = parseTableState(params, opts);
  const out = writeTableState(new URLSearchParams(), { ...state, limit: null }, opts);
  // An explicit default sort reads as "none" only when it was actually cleared.
  if (formatSort(state.sort) === formatSort(opts?.defaultSort ?? null)) out.delete(key(opts, "sort"));
  return out.toString();
}

/** Is any search or filter active (so an empty list means "no match", not "nothing yet")? */
export function isFiltered(state: TableUrlState): boolean {
  return state.q.length > 0 || Object.keys(state.filters).length > 0;
}
