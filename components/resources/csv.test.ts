import { describe, expect, it } from "vitest";
import { escapeCsvCell, exportFileName, neutraliseFormula, toCsv, toJson } from "./csv";

describe("CSV escaping", () => {
  it.each([
    ["=SUM(A1:A2)", "'=SUM(A1:A2)"],
    ["+1", "'+1"],
    ["-1+2", "'-1+2"],
    ["@cmd", "'@cmd"],
    ["\tx", "'\tx"],
    ["\rx", '"\'\rx"'],
    ["plain", "plain"],
    ["a=b", "a=b"],
  ])("neutralises %j as %j", (input, expected) => {
    expect(escapeCsvCell(input)).toBe(expected);
  });

  it("quotes commas, quotes, newlines and padded text", () => {
    expect(escapeCsvCell("a,b")).toBe('"a,b"');
    expect(escapeCsvCell('say "hi"')).toBe('"say ""hi"""');
    expect(escapeCsvCell("two\nlines")).toBe('"two\nlines"');
    expect(escapeCsvCell(" padded")).toBe('" padded"');
  });

  it("quotes a formula that also needs quoting", () => {
    expect(escapeCsvCell('=HYPERLINK("http://x","y")')).toBe('"\'=HYPERLINK(""http://x"",""y"")"');
  });

  it("formats other types without neutralising numbers", () => {
    expect(escapeCsvCell(-5)).toBe("-5");
    expect(escapeCsvCell(Number.NaN)).toBe("");
    expect(escapeCsvCell(true)).toBe("true");
    expect(escapeCsvCell(null)).toBe("");
    expect(escapeCsvCell(undefined)).toBe("");
    expect(escapeCsvCell(new Date("2025-01-02T03:04:05.000Z"))).toBe("2025-01-02T03:04:05.000Z");
  });

  it("neutraliseFormula leaves safe text alone", () => {
    expect(neutraliseFormula("web-1")).toBe("web-1");
  });
});

describe("documents", () => {
  it("writes CRLF CSV with a header row", () => {
    expect(
      toCsv(
        ["Name", "Count"],
        [
          ["a", 1],
          ["=b", null],
        ],
      ),
    ).toBe("Name,Count\r\na,1\r\n'=b,\r\n");
  });

  it("writes JSON keyed by column id", () => {
    const json = JSON.parse(toJson(["name", "at"], [["x", new Date("2025-01-01T00:00:00Z")]])) as unknown;
    expect(json).toEqual([{ name: "x", at: "2025-01-01T00:00:00.000Z" }]);
  });

  it("names files safely", () => {
    expect(exportFileName("VM / list", "csv", new Date("2025-01-31T10:04:59Z"))).toBe(
      "VM-list-2025-01-31T10-04.csv",
    );
  });
});
