import { describe, expect, it } from "vitest";
import { activeNavId, NAV, resourceHref, scopeFromPath } from "./nav";

describe("scopeFromPath", () => {
  it.each([
    ["/", { org: null, project: null }],
    ["/sign-in", { org: null, project: null }],
    ["/settings/preferences", { org: null, project: null }],
    ["/admin/organizations", { org: null, project: null }],
    ["/acme", { org: "acme", project: null }],
    ["/acme/projects", { org: "acme", project: null }],
    ["/acme/iam/users/123", { org: "acme", project: null }],
    ["/acme/jobs/abc", { org: "acme", project: null }],
    ["/acme/web", { org: "acme", project: "web" }],
    ["/acme/web/jobs", { org: "acme", project: "web" }],
    ["/acme/web/compute/instances/1", { org: "acme", project: "web" }],
  ])("%s", (path, expected) => expect(scopeFromPath(path)).toEqual(expected));
});

describe("activeNavId", () => {
  it("matches the dashboard exactly and the others by prefix", () => {
    expect(activeNavId("/acme", { org: "acme", project: null })).toBe("dashboard");
    expect(activeNavId("/acme/iam/users/1", { org: "acme", project: null })).toBe("users");
    expect(activeNavId("/acme/web/quotas", { org: "acme", project: "web" })).toBe("quotas");
    expect(activeNavId("/acme/web/jobs", { org: "acme", project: "web" })).toBe("jobs");
    expect(activeNavId("/acme/quota-requests", { org: "acme", project: null })).toBe("quota-requests");
    expect(activeNavId("/acme/nowhere", { org: "acme", project: null })).toBeNull();
  });
});

describe("compute and network pages", () => {
  const item = (id: string) => NAV.flatMap((s) => s.items).find((i) => i.id === id)!;

  it("live inside a project and are disabled outside one", () => {
    for (const id of ["instances", "images", "keypairs", "flavors", "networks", "security-groups"]) {
      expect(item(id).needsProject).toBe(true);
      expect(item(id).href?.({ org: "acme", project: null })).toBeNull();
    }
    expect(item("instances").href?.({ org: "acme", project: "web" })).toBe("/acme/web/compute/instances");
    expect(item("networks").href?.({ org: "acme", project: "web" })).toBe("/acme/web/network/networks");
  });

  it("are active on their sub-pages", () => {
    const scope = { org: "acme", project: "web" };
    expect(activeNavId("/acme/web/compute/instances/new", scope)).toBe("instances");
    expect(activeNavId("/acme/web/compute/instances/abc", scope)).toBe("instances");
    expect(activeNavId("/acme/web/compute/key-pairs", scope)).toBe("keypairs");
    expect(activeNavId("/acme/web/network/security-groups", scope)).toBe("security-groups");
    expect(activeNavId("/acme/web", scope)).toBe("dashboard");
  });
});

describe("resourceHref", () => {
  const hit = { orgSlug: "acme", projectSlug: "web", type: "resource", id: "i-1" };
  it("opens an instance's page, a catalogue kind's list, else the project", () => {
    expect(resourceHref({ ...hit, kind: "instance" })).toBe("/acme/web/compute/instances/i-1");
    expect(resourceHref({ ...hit, kind: "image" })).toBe("/acme/web/compute/images");
    expect(resourceHref({ ...hit, kind: "bucket" })).toBe("/acme/web");
    expect(resourceHref({ ...hit, kind: "project", type: "project" })).toBe("/acme/web");
  });
});
