import { describe, expect, it } from "vitest";
import { amount, figures, perResource, projectFigures, sumRows, worstHealth } from "./figures";

describe("quota figures", () => {
  it("counts reservations against the limit when judging health", () => {
    const f = figures(
      perResource(() => 10),
      perResource((r) => (r === "instances" ? 6 : r === "vcpus" ? 9 : 0)),
      perResource((r) => (r === "instances" ? 1 : r === "vcpus" ? 1 : 0)),
    );
    expect(f.health.instances).toBe("warning"); // 7 of 10
    expect(f.health.vcpus).toBe("exhausted"); // 10 of 10
    expect(f.health.ramGb).toBe("ok");
  });

  it("reads a missing project row as a limit of 0, and use without a limit as exhausted", () => {
    const f = projectFigures([{ resource: "instances", limit: 0, used: 1, reserved: 0 }]);
    expect(f.limits.vcpus).toBe(0);
    expect(f.health.vcpus).toBe("ok");
    expect(f.health.instances).toBe("exhausted");
  });

  it("sums project rows per resource and ignores resources it does not know", () => {
    const s = sumRows([
      { resource: "instances", limit: 20, used: 5, reserved: 1 },
      { resource: "instances", limit: 30, used: 2, reserved: 0 },
      { resource: "retired-resource", limit: 99, used: 99, reserved: 99 },
    ]);
    expect(s.allocated.instances).toBe(50);
    expect(s.usage.instances).toBe(7);
    expect(s.reserved.instances).toBe(1);
    expect(Object.keys(s.allocated)).not.toContain("retired-resource");
  });

  it("picks the worst health", () => {
    expect(worstHealth({ instances: "ok", vcpus: "critical", ramGb: "warning" })).toBe("critical");
    expect(worstHealth({})).toBe("ok");
  });

  it("writes amounts with their unit", () => {
    expect(amount("volumeGb", 200)).toBe("200 GB");
    expect(amount("instances", 20)).toBe("20");
  });
});
