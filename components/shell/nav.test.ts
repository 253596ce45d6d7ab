import { describe, expect, it } from "vitest";
import { activeNavId, scopeFromPath } from "./nav";

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
