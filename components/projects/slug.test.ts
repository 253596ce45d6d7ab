import { describe, expect, it } from "vitest";
import { RESERVED_PROJECT_SLUGS } from "@/server/services/projects";
import { RESERVED_SLUGS, slugProblem, slugify } from "./slug";

describe("project slugs in the browser", () => {
  it("reserves exactly what the service reserves", () => {
    expect([...RESERVED_SLUGS]).toEqual([...RESERVED_PROJECT_SLUGS]);
  });

  it.each([
    ["Payments API", "payments-api"],
    ["  Data — Pipelines  ", "data-pipelines"],
    ["a".repeat(50), "a".repeat(40)],
  ])("slugifies %s", (name, slug) => expect(slugify(name)).toBe(slug));

  it.each([
    ["web", null],
    ["", "Enter a slug"],
    ["-web", "Use 1-40 lowercase letters, digits and dashes, starting and ending with a letter or digit"],
    ["iam", "iam is reserved by the console"],
    ["quota-requests", "quota-requests is reserved by the console"],
  ])("judges %j", (slug, problem) => expect(slugProblem(slug)).toBe(problem));
});
