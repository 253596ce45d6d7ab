import { describe, expect, it } from "vitest";
import { allPermissions, permissionCatalog } from "@/server/iam/permissions";
import {
  buildMatrix,
  groupState,
  lockReason,
  orgOnlyConflicts,
  toggleGroup,
  type CatalogueEntry,
} from "./matrix";

const catalogue: CatalogueEntry[] = allPermissions.map((p) => {
  const [service = "", resource = "", action = ""] = p.split(".");
  return { permission: p, service, resource: `${service}.${resource}`, action, ...permissionCatalog[p] };
});
const entry = (p: string) => catalogue.find((e) => e.permission === p)!;

describe("permission matrix", () => {
  const matrix = buildMatrix(catalogue);

  it("groups by service and resource, leaves platform permissions out, covers every other permission once", () => {
    expect(matrix.map((s) => s.service)).not.toContain("platform");
    const cells = matrix.flatMap((s) =>
      s.rows.flatMap((r) => Object.values(r.cells).map((c) => c!.permission)),
    );
    expect(cells.sort()).toEqual(allPermissions.filter((p) => !p.startsWith("platform.")).sort());
    const compute = matrix.find((s) => s.service === "compute")!;
    expect(compute.label).toBe("Compute");
    expect(compute.actions.slice(0, 5)).toEqual(["list", "get", "create", "update", "delete"]);
    const instance = compute.rows.find((r) => r.resource === "compute.instance")!;
    expect(instance.label).toBe("instance");
    expect(instance.cells.create?.permission).toBe("compute.instance.create");
    expect(compute.rows.find((r) => r.resource === "compute.flavor")!.cells.create).toBeUndefined();
  });

  const ctx = {
    held: new Set(["compute.instance.list", "compute.instance.get", "iam.user.list"]),
    scopes: ["project"],
    readOnly: false,
    initial: new Set<string>(),
  };

  it.each([
    ["compute.instance.list", false, null],
    [
      "compute.instance.delete",
      false,
      "You do not hold compute.instance.delete in this organisation, so you cannot grant it",
    ],
    ["compute.instance.delete", true, null],
    [
      "iam.user.list",
      false,
      "iam.user.list only applies at organisation scope: allow the Organisation scope first",
    ],
  ] as const)("locks %s (selected %s): %s", (p, selected, reason) => {
    expect(lockReason(entry(p), selected, ctx)).toBe(reason);
  });

  it("select-all ticks only what may be ticked and unticks anything", () => {
    const row = ["compute.instance.list", "compute.instance.get", "compute.instance.delete"].map(entry);
    const on = toggleGroup(new Set(), row, true, ctx);
    expect([...on].sort()).toEqual(["compute.instance.get", "compute.instance.list"]);
    expect(
      groupState(
        on,
        row.map((e) => e.permission),
      ),
    ).toBe("some");
    const off = toggleGroup(new Set(["compute.instance.delete", "compute.instance.list"]), row, false, ctx);
    expect([...off]).toEqual([]);
    expect(toggleGroup(new Set(), row, true, { ...ctx, readOnly: true }).size).toBe(0);
  });

  it("names org-only permissions of a project-only role", () => {
    expect(orgOnlyConflicts(new Set(["iam.user.list", "job.job.list"]), catalogue, ["project"])).toEqual([
      "iam.user.list",
    ]);
    expect(orgOnlyConflicts(new Set(["iam.user.list"]), catalogue, ["org", "project"])).toEqual([]);
  });
});
