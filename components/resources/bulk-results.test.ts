import { describe, expect, it } from "vitest";
import { runBulk, type BulkItemResult } from "./bulk-results";

describe("runBulk", () => {
  it("reports each item and keeps going after a failure, within the concurrency bound", async () => {
    const reports: [string, BulkItemResult["state"]][] = [];
    let running = 0;
    let peak = 0;
    const result = await runBulk(
      ["a", "b", "c", "d", "e"],
      async (id) => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, 5));
        running--;
        if (id === "c")
          throw Object.assign(new Error("Project c still holds 2 resources"), {
            data: { requestId: "req-1" },
          });
      },
      (id) => id,
      (id, r) => reports.push([id, r.state]),
      2,
    );
    expect(result).toEqual({ succeeded: 4, failed: 1 });
    expect(peak).toBe(2);
    expect(
      reports
        .filter(([, s]) => s === "succeeded")
        .map(([id]) => id)
        .sort(),
    ).toEqual(["a", "b", "d", "e"]);
    expect(reports).toContainEqual(["c", "failed"]);
  });

  it("carries the problem's message and request id", async () => {
    let failure: BulkItemResult | undefined;
    await runBulk(
      [1],
      () =>
        Promise.reject(Object.assign(new Error("Quota exceeded: instances"), { data: { requestId: "r-9" } })),
      String,
      (_, r) => {
        if (r.state === "failed") failure = r;
      },
    );
    expect(failure).toEqual({ state: "failed", message: "Quota exceeded: instances", requestId: "r-9" });
  });
});
