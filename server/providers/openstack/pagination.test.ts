import { describe, expect, it } from "vitest";
import { collect, nextPageQuery, paginate, type Query } from "./pagination";

const ids = (n: number, from = 0) => Array.from({ length: n }, (_, i) => ({ id: `id-${from + i}` }));

describe("nextPageQuery", () => {
  it("reads Nova/Neutron/Cinder `<items>_links` rel=next", () => {
    const page = {
      servers: [],
      servers_links: [{ rel: "next", href: "http://internal:8774/v2.1/servers/detail?limit=2&marker=abc" }],
    };
    expect(nextPageQuery(page, "servers")).toEqual({ query: { limit: "2", marker: "abc" }, hasLinks: true });
  });

  it("reads Glance's relative `next`", () => {
    const page = { images: [], first: "/v2/images", next: "/v2/images?marker=img-9&limit=3" };
    expect(nextPageQuery(page, "images")).toEqual({ query: { marker: "img-9", limit: "3" }, hasLinks: true });
  });

  it("knows when links exist but say there is no next page", () => {
    expect(
      nextPageQuery(
        { networks: [], networks_links: [{ rel: "previous", href: "/x?marker=a&page_reverse=True" }] },
        "networks",
      ),
    ).toEqual({ hasLinks: true });
    expect(nextPageQuery({ networks: [] }, "networks")).toEqual({ hasLinks: false });
  });
});

describe("paginate", () => {
  it("follows next links across pages", async () => {
    const calls: Query[] = [];
    const all = ids(5);
    const items = await collect(
      paginate(
        async (q) => {
          calls.push(q);
          const start = q.marker ? all.findIndex((x) => x.id === q.marker) + 1 : 0;
          const page = all.slice(start, start + 2);
          const more = start + 2 < all.length;
          return {
            servers: page,
            ...(more
              ? {
                  servers_links: [
                    { rel: "next", href: `http://h/servers?limit=2&marker=${page[page.length - 1]?.id}` },
                  ],
                }
              : {}),
          };
        },
        { itemsKey: "servers", pageSize: 2, query: { status: "ACTIVE" } },
      ),
    );
    expect(items).toEqual(all);
    expect(calls).toEqual([
      { status: "ACTIVE", limit: 2 },
      { status: "ACTIVE", limit: "2", marker: "id-1" },
      { status: "ACTIVE", limit: "2", marker: "id-3" },
    ]);
  });

  it("falls back to marker = last id while pages come back full and no links are given", async () => {
    const all = ids(4);
    const calls: Query[] = [];
    const items = await collect(
      paginate(
        async (q) => {
          calls.push(q);
          const start = q.marker ? all.findIndex((x) => x.id === q.marker) + 1 : 0;
          return { volumes: all.slice(start, start + 2) };
        },
        { itemsKey: "volumes", pageSize: 2 },
      ),
    );
    expect(items).toEqual(all);
    // the third call gets an empty page and ends the walk
    expect(calls.map((c) => c.marker)).toEqual([undefined, "id-1", "id-3"]);
  });

  it("stops when the upstream repeats a marker", async () => {
    let calls = 0;
    const items = await collect(
      paginate(
        async () => {
          calls++;
          return { images: ids(2), next: "/v2/images?marker=id-1" };
        },
        { itemsKey: "images", pageSize: 2 },
      ),
    );
    expect(calls).toBe(2);
    expect(items).toHaveLength(4);
  });

  it("honours max without fetching further pages", async () => {
    let calls = 0;
    const items = await collect(
      paginate(
        async (q) => {
          calls++;
          return { ports: ids(3, Number(q.marker ?? 0)) };
        },
        { itemsKey: "ports", pageSize: 3, max: 2 },
      ),
    );
    expect(items).toHaveLength(2);
    expect(calls).toBe(1);
  });

  it("treats a missing items array as an empty last page", async () => {
    expect(await collect(paginate(async () => ({}), { itemsKey: "flavors" }))).toEqual([]);
  });
});
