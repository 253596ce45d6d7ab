import { describe, expect, it } from "vitest";
import {
  describeAction,
  EMPTY_FILTERS,
  exportUrl,
  isFiltered,
  matchesFilters,
  parseFilters,
  rangeIsLive,
  toQueryInput,
  writeFilters,
} from "./filters";

describe("activity filters in the URL", () => {
  it("reads every filter, and ignores values it does not know", () => {
    const f = parseFilters(
      new URLSearchParams(
        "q=web&action=iam.*&actor=dev@acme.example&project=web&outcome=denied&kind=project&range=24h",
      ),
    );
    expect(f).toEqual({
      q: "web",
      action: "iam.*",
      actor: "dev@acme.example",
      project: "web",
      outcome: "denied",
      kind: "project",
      range: "24h",
      from: "",
      to: "",
    });
    expect(parseFilters(new URLSearchParams("outcome=maybe&range=forever"))).toEqual(EMPTY_FILTERS);
  });

  it("reads a custom range from its bounds", () => {
    const f = parseFilters(new URLSearchParams("from=2026-01-01T00:00:00.000Z&to=not-a-date"));
    expect(f).toMatchObject({ range: "custom", from: "2026-01-01T00:00:00.000Z", to: "" });
  });

  it("writes only what is set, keeping other parameters", () => {
    const next = writeFilters(new URLSearchParams("tab=x&q=old"), {
      ...EMPTY_FILTERS,
      action: "a.b.c",
      range: "7d",
    });
    expect(next.toString()).toBe("tab=x&action=a.b.c&range=7d");
    const custom = writeFilters(new URLSearchParams(), {
      ...EMPTY_FILTERS,
      range: "custom",
      from: "2026-01-01T00:00:00.000Z",
    });
    expect(custom.toString()).toBe("from=2026-01-01T00%3A00%3A00.000Z");
    expect(parseFilters(custom).range).toBe("custom");
  });

  it("turns a preset into a start time counted back from its anchor", () => {
    const anchor = Date.parse("2026-01-02T00:00:00.000Z");
    expect(toQueryInput({ ...EMPTY_FILTERS, range: "24h", kind: "project", q: "  web " }, anchor)).toEqual({
      q: "web",
      targetKind: "project",
      from: "2026-01-01T00:00:00.000Z",
    });
    expect(toQueryInput(EMPTY_FILTERS, anchor)).toEqual({});
  });

  it("knows when new events can still match", () => {
    const now = Date.parse("2026-01-02T00:00:00.000Z");
    expect(rangeIsLive({ ...EMPTY_FILTERS, range: "1h" }, now)).toBe(true);
    expect(rangeIsLive({ ...EMPTY_FILTERS, range: "custom", to: "2026-01-01T00:00:00.000Z" }, now)).toBe(
      false,
    );
    expect(rangeIsLive({ ...EMPTY_FILTERS, range: "custom", from: "2026-01-01T00:00:00.000Z" }, now)).toBe(
      true,
    );
    expect(isFiltered(EMPTY_FILTERS)).toBe(false);
    expect(isFiltered({ ...EMPTY_FILTERS, outcome: "failure" })).toBe(true);
  });

  it("builds the export link of the same view", () => {
    expect(exportUrl("acme", "csv", { q: "a b", action: "iam.*" })).toBe(
      "/api/tenant/v1/organizations/acme/audit-events/export?format=csv&q=a+b&action=iam.*",
    );
  });
});

describe("action names", () => {
  it.each([
    ["resourcemanager.project.create", "Create project"],
    ["iam.rolebinding.delete", "Delete role assignment"],
    ["job.project.provision", "Job: provision project"],
    ["job.compute.instance.create", "Job: create instance"],
    ["audit.event.export", "Export activity log"],
    ["compute.instance.reboot", "Reboot instance"],
    ["common.createToken", "common.createToken"],
  ])("describes %s as %s", (action, text) => {
    expect(describeAction(action)).toBe(text);
  });
});

describe("matchesFilters", () => {
  const event = {
    action: "resourcemanager.project.create",
    outcome: "success",
    actor: { id: "u1", email: "Admin@acme.example" },
    project: { id: "p1", slug: "web" },
    target: { kind: "project" },
  };
  it.each([
    [{}, true],
    [{ action: "resourcemanager.project.create" }, true],
    [{ action: "resourcemanager.*" }, true],
    [{ action: "iam.user.invite" }, false],
    [{ action: "iam.*" }, false],
    [{ outcome: "failure" as const }, false],
    [{ kind: "user" }, false],
    [{ project: "web" }, true],
    [{ project: "p1" }, true],
    [{ project: "data" }, false],
    [{ actor: "admin@acme.example" }, true],
    [{ actor: "u2" }, false],
  ])("%o → %s", (partial, expected) => {
    expect(matchesFilters(event, { ...EMPTY_FILTERS, ...partial })).toBe(expected);
  });
});
