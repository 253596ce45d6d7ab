import { describe, expect, it } from "vitest";
import { escapeLike, prefixLexeme, searchWords } from "./query";

describe("search words", () => {
  it.each([
    ["  Web  frontend ", ["web", "frontend"]],
    ["admin@acme.example", ["admin@acme.example"]],
    ["project's & | ! (x)", ["projects", "x"]],
    ["&&& ||| :*", []],
    ["a b c d e f g h i j", ["a", "b", "c", "d", "e", "f", "g", "h"]],
    ["résumé 数据", ["résumé", "数据"]],
  ])("reads %j as %j", (q, words) => {
    expect(searchWords(q)).toEqual(words);
  });

  it("quotes a lexeme so tsquery operators inside it are literal", () => {
    expect(prefixLexeme("web")).toBe("'web':*");
    expect(prefixLexeme("o'brien")).toBe("'o''brien':*");
    expect(prefixLexeme("a\\b")).toBe("'ab':*");
  });

  it("escapes LIKE wildcards of an action prefix", () => {
    expect(escapeLike("iam.user_%")).toBe("iam.user\\_\\%");
  });
});
