import { describe, expect, it } from "vitest";
import { SLUG, slugify } from "./slug";

describe("slugify", () => {
  it.each([
    ["Web front end", "web-front-end"],
    ["Ünïted Wéb", "united-web"],
    ["  --Data__Pipelines--  ", "data-pipelines"],
    ["ÆØÅ", "a"], // Å decomposes to A; Æ and Ø have no decomposition
    ["a".repeat(60), "a".repeat(40)],
    [`${"a".repeat(39)} b`, "a".repeat(39)],
  ])("%s → %s", (name, slug) => {
    expect(slugify(name)).toBe(slug);
    if (slug) expect(SLUG.test(slug)).toBe(true);
  });
});
