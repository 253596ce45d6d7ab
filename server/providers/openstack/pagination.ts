// Marker pagination shared by Nova, Neutron, Cinder and Glance: follow the service's next link
// (`<items>_links` rel=next, or Glance's `next`), else marker = last id while pages come back full.

export type Query = Record<string, string | number | boolean | undefined | readonly string[]>;

export interface PaginateOptions {
  /** Key of the items array in each page, e.g. "servers". */
  itemsKey: string;
  query?: Query;
  /** Page size sent as `limit`. */
  pageSize?: number;
  /** Stop after this many items in all. */
  max?: number;
  /** Field holding the marker value of an item (default "id"). */
  idField?: string;
}

function asRecord(v: unknown): Record<string, unknown> | undefined {
  return typeof v === "object" && v !== null && !Array.isArray(v)
    ? (v as Record<string, unknown>)
    : undefined;
}

/** The query of the next page from a page's links, or undefined when the service says none. */
export function nextPageQuery(
  page: Record<string, unknown>,
  itemsKey: string,
): { query?: Record<string, string>; hasLinks: boolean } {
  let href: string | undefined;
  let hasLinks = false;
  const links = page[`${itemsKey}_links`];
  if (Array.isArray(links)) {
    hasLinks = true;
    for (const l of links) {
      const link = asRecord(l);
      if (link?.rel === "next" && typeof link.href === "string") href = link.href;
    }
  }
  if ("next" in page || "first" in page) {
    hasLinks = true;
    if (typeof page.next === "string") href = page.next;
  }
  if (!href) return { hasLinks };
  // Rebuilt on our own endpoint: the upstream may advertise an internal host or another scheme
  const url = new URL(href, "http://placeholder.invalid");
  const query: Record<string, string> = {};
  for (const [k, v] of url.searchParams) query[k] = v;
  return { query, hasLinks };
}

/**
 * Yields every item across pages. `fetchPage` gets the query of each page (limit and marker
 * included) and returns the parsed JSON body.
 */
export async function* paginate(
  fetchPage: (query: Query) => Promise<unknown>,
  opts: PaginateOptions,
): AsyncGenerator<unknown, void, undefined> {
  const pageSize = opts.pageSize ?? 100;
  const idField = opts.idField ?? "id";
  let query: Query = { ...opts.query, limit: pageSize };
  const seenMarkers = new Set<string>();
  let yielded = 0;
  for (;;) {
    const page = asRecord(await fetchPage(query)) ?? {};
    const items = Array.isArray(page[opts.itemsKey]) ? (page[opts.itemsKey] as unknown[]) : [];
    for (const item of items) {
      yield item;
      yielded++;
      if (opts.max !== undefined && yielded >= opts.max) return;
    }
    const next = nextPageQuery(page, opts.itemsKey);
    let marker: string | undefined;
    let extra: Record<string, string> = {};
    if (next.query) {
      marker = next.query.marker;
      extra = next.query;
    } else if (!next.hasLinks && items.length >= pageSize) {
      const last = asRecord(items[items.length - 1])?.[idField];
      if (typeof last === "string" || typeof last === "number") marker = String(last);
    }
    if (marker === undefined || items.length === 0 || seenMarkers.has(marker)) return;
    seenMarkers.add(marker);
    query = { ...query, ...extra, marker };
  }
}

/** Collects an async iterable (use with care: only for lists known to be small). */
export async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}
