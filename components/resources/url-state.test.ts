import { describe, expect, it } from "vitest";
import {
  isFiltered,
  parseSort,
  parseTableState,
  viewQuery,
  visibleColumns,
  writeTableState,
  type UrlStateOptions,
} from "./url-state";

const opts: UrlStateOptions = { filterIds: ["status", "region"] };
const p = (s: string) => new URLSearchParams(s);

describe("parseTableState", () => {
  it("reads defaults from an empty query", () => {
    expect(parseTableState(p(""), opts)).toEqual({
      q: "",
      sort: null,
      view: "table",
      columns: null,
      filters: {},
      limit: null,
    });
  });

  it("reads every part", () => {
    const s = parseTableState(
      p("q=web&sort=-name&view=cards&cols=name,status&f.status=ACTIVE,ERROR&limit=25"),
      opts,
    );
    expect(s).toEqual({
      q: "web",
      sort: { id: "name", desc: true },
      view: "cards",
      columns: ["name", "status"],
      filters: { status: ["ACTIVE", "ERROR"] },
      limit: 25,
    });
  });

  it.each([
    ["view=grid", "view", "table"],
    ["limit=7", "limit", null],
    ["limit=abc", "limit", null],
    ["sort=na me", "sort", null],
    ["sort=-", "sort", null],
  ])("ignores an invalid value (%s)", (query, field, expected) => {
    expect(parseTableState(p(query), opts)[field as "view"]).toEqual(expected);
  });

  it("ignores filters the table does not declare", () => {
    expect(parseTableState(p("f.owner=me&f.status=ACTIVE"), opts).filters).toEqual({ status: ["ACTIVE"] });
  });

  it("honours a prefix so two tables share a page", () => {
    const s = parseTableState(p("q=a&jobs.q=b&jobs.f.status=FAILED"), { ...opts, prefix: "jobs." });
    expect(s.q).toBe("b");
    expect(s.filters).toEqual({ status: ["FAILED"] });
  });

  it("falls back to the default sort, and 'none' clears it", () => {
    const withDefault = { ...opts, defaultSort: { id: "createdAt", desc: true } };
    expect(parseTableState(p(""), withDefault).sort).toEqual({ id: "createdAt", desc: true });
    expect(parseTableState(p("sort=none"), withDefault).sort).toBeNull();
  });
});

describe("writeTableState", () => {
  it("round-trips a state", () => {
    const state = parseTableState(p("q=db&sort=name&view=cards&cols=name&f.region=eu-1&limit=100"), opts);
    const written = writeTableState(p(""), state, opts);
    expect(parseTableState(written, opts)).toEqual(state);
  });

  it("drops defaults and keeps unrelated params", () => {
    const out = writeTableState(p("tab=overview&q=x&view=cards"), { q: "  ", view: "table" }, opts);
    expect(out.toString()).toBe("tab=overview");
  });

  it("replaces filters as a whole", () => {
    const out = writeTableState(p("f.status=ACTIVE&f.region=a"), { filters: { region: ["b", ""] } }, opts);
    expect(out.get("f.status")).toBeNull();
    expect(out.get("f.region")).toBe("b");
  });

  it("records a cleared default sort as none", () => {
    const withDefault = { ...opts, defaultSort: { id: "createdAt", desc: true } };
    expect(writeTableState(p(""), { sort: null }, withDefault).get("sort")).toBe("none");
    expect(
      writeTableState(p("sort=name"), { sort: { id: "createdAt", desc: true } }, withDefault).get("sort"),
    ).toBeNull();
  });

  it("keeps an empty column choice distinct from the default", () => {
    const out = writeTableState(p(""), { columns: [] }, opts);
    expect(out.get("cols")).toBe("-");
    expect(parseTableState(out, opts).columns).toEqual(["-"]);
  });
});

describe("visibleColumns", () => {
  const columns = [{ id: "name", hideable: false }, { id: "status" }, { id: "zone", defaultVisible: false }];
  it("uses defaults without a choice", () =>
    expect(visibleColumns(columns, null)).toEqual(["name", "status"]));
  it("uses the choice but keeps unhideable columns", () =>
    expect(visibleColumns(columns, ["zone", "bogus"])).toEqual(["name", "zone"]));
});

describe("helpers", () => {
  it("parses sort", () => {
    expect(parseSort("-createdAt")).toEqual({ id: "createdAt", desc: true });
    expect(parseSort("")).toBeNull();
  });
  it("knows when a view is filtered", () => {
    expect(isFiltered(parseTableState(p("q=a"), opts))).toBe(true);
    expect(isFiltered(parseTableState(p("view=cards"), opts))).toBe(false);
  });
  it("builds a saved-view query without page size or unrelated params", () => {
    expect(viewQuery(p("tab=x&q=a&limit=25&f.status=ACTIVE"), opts)).toBe("q=a&f.status=ACTIVE");
  });
});
