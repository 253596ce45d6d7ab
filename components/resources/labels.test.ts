import { describe, expect, it } from "vitest";
import { hasLabelErrors, labelsToPairs, pairsToLabels, validateLabelPairs } from "./labels";

describe("label validation", () => {
  it("accepts valid labels", () => {
    const errors = validateLabelPairs([
      { key: "env", value: "prod" },
      { key: "app.kubernetes.io/name", value: "" },
    ]);
    expect(hasLabelErrors(errors)).toBe(false);
  });

  it.each([
    ["-env", "Letters, digits, and . _ - / inside; start and end with a letter or digit"],
    ["env_", "Letters, digits, and . _ - / inside; start and end with a letter or digit"],
    ["has space", "Letters, digits, and . _ - / inside; start and end with a letter or digit"],
    ["k".repeat(64), "At most 63 characters"],
  ])("rejects the key %j", (key, message) => {
    expect(validateLabelPairs([{ key, value: "v" }]).rows[0]?.key).toBe(message);
  });

  it("rejects duplicates, long values, values without a key, and more than five", () => {
    const errors = validateLabelPairs([
      { key: "a", value: "1" },
      { key: "A", value: "2" },
      { key: "", value: "orphan" },
      { key: "b", value: "x".repeat(64) },
      { key: "c", value: "" },
      { key: "d", value: "" },
      { key: "e", value: "" },
    ]);
    expect(errors.rows[1]?.key).toBe("Duplicate key");
    expect(errors.rows[2]?.key).toBe("Enter a key");
    expect(errors.rows[3]?.value).toBe("At most 63 characters");
    expect(errors.form).toBe("At most 5 labels");
  });

  it("ignores empty rows and converts both ways", () => {
    const pairs = [
      { key: " env ", value: " prod " },
      { key: "", value: "" },
    ];
    expect(hasLabelErrors(validateLabelPairs(pairs))).toBe(false);
    expect(pairsToLabels(pairs)).toEqual({ env: "prod" });
    expect(labelsToPairs({ env: "prod" })).toEqual([{ key: "env", value: "prod" }]);
  });
});
