import { describe, expect, it } from "vitest";
import { axisMax, formatValue, niceMax, splitAtGaps, toMs } from "./metrics-chart";

describe("chart helpers", () => {
  it.each([
    [42.25, "percent", "42 %"],
    [3.14, "percent", "3.1 %"],
    [1536, "bytes", "1.5 KB"],
    [5 * 1024 * 1024, "bytes_per_second", "5.0 MB/s"],
    [200, "bytes_per_second", "200 B/s"],
    [0.5, "", "0.50"],
    [12_300, "ops", "12.3 k ops"],
    [0, "percent", "0 %"],
    [0, "bytes_per_second", "0 B/s"],
  ])("formatValue(%d, %s) = %s", (v, unit, text) => expect(formatValue(v, unit)).toBe(text));

  it("rounds the axis up to 1, 2 or 5 of a power of ten", () => {
    expect(niceMax(0)).toBe(1);
    expect(niceMax(0.7)).toBe(1);
    expect(niceMax(13)).toBe(20);
    expect(niceMax(420)).toBe(500);
    expect(niceMax(5000)).toBe(5000);
  });

  it("rounds byte axes in powers of 1024", () => {
    expect(axisMax(477 * 1024 * 1024, "bytes")).toBe(500 * 1024 * 1024);
    expect(formatValue(axisMax(300 * 1024 * 1024, "bytes"), "bytes")).toBe("500 MB");
    expect(axisMax(13, "percent")).toBe(20);
  });

  it("splits a series at missing samples instead of bridging them", () => {
    const runs = splitAtGaps([
      { t: 3, v: 3 },
      { t: 1, v: 1 },
      { t: 2, v: 2 },
      { t: 4, v: null },
      { t: 5, v: 5 },
    ]);
    expect(runs).toEqual([
      [
        { t: 1, v: 1 },
        { t: 2, v: 2 },
        { t: 3, v: 3 },
      ],
      [{ t: 5, v: 5 }],
    ]);
  });

  it("reads seconds and milliseconds", () => {
    expect(toMs(1_700_000_000)).toBe(1_700_000_000_000);
    expect(toMs(1_700_000_000_000)).toBe(1_700_000_000_000);
  });
});
