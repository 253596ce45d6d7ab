import { describe, expect, it } from "vitest";
import { elapsed, formatDuration, targetHref } from "./format";

describe("job formatting", () => {
  it.each([
    [0, "under 1 s"],
    [999, "under 1 s"],
    [42_400, "42 s"],
    [185_000, "3 min 05 s"],
    [3_720_000, "1 h 02 min"],
    [-5, "—"],
  ])("formats %i ms as %s", (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it("measures a running job up to now", () => {
    expect(elapsed(new Date(1000), null, 61_000)).toBe("1 min 00 s");
    expect(elapsed(null, null)).toBe("—");
  });

  it("links a project target to the project and compute targets to their pages", () => {
    const project = { slug: "web" };
    expect(targetHref("acme", { target: { kind: "project", id: "x", name: "web" }, project })).toBe(
      "/acme/web",
    );
    expect(
      targetHref("acme", { target: { kind: "project", id: "x", name: "web" }, project: { slug: null } }),
    ).toBeNull();
    expect(targetHref("acme", { target: { kind: "instance", id: "x", name: "vm" }, project })).toBe(
      "/acme/web/compute/instances/x",
    );
    expect(targetHref("acme", { target: { kind: "keypair", id: "k", name: "key" }, project })).toBe(
      "/acme/web/compute/key-pairs",
    );
    expect(targetHref("acme", { target: { kind: "quota", id: "q", name: "q" }, project })).toBeNull();
  });
});
