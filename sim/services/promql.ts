// A small PromQL: the parser and evaluator behind the simulated Prometheus. It covers selectors
// with matchers, ranges and offsets, rate/irate/increase and *_over_time, aggregations with
// by/without, arithmetic, comparison and set operators — what dashboards and alert rules use.

export class PromQLError extends Error {}

export interface Matcher {
  name: string;
  op: "=" | "!=" | "=~" | "!~";
  value: string;
}

export type Expr =
  | { type: "number"; value: number }
  | { type: "string"; value: string }
  | { type: "selector"; name: string | null; matchers: Matcher[]; range: number | null; offset: number }
  | { type: "call"; func: string; args: Expr[] }
  | {
      type: "aggregate";
      op: string;
      by: string[] | null;
      without: string[] | null;
      param: Expr | null;
      expr: Expr;
    }
  | {
      type: "binary";
      op: string;
      lhs: Expr;
      rhs: Expr;
      bool: boolean;
      on: string[] | null;
      ignoring: string[] | null;
    }
  | { type: "unary"; expr: Expr };

// ---------------------------------------------------------------- lexer

interface Token {
  kind: "ident" | "number" | "string" | "duration" | "op" | "punct" | "eof";
  text: string;
  pos: number;
}

const DURATION_RE = /^(\d+(?:ms|[smhdwy]))+/;
const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
  y: 31_536_000_000,
};

export function parseDuration(text: string): number | null {
  if (!/^(\d+(ms|[smhdwy]))+$/.test(text)) return null;
  let total = 0;
  for (const m of text.matchAll(/(\d+)(ms|[smhdwy])/g)) total += Number(m[1]) * (UNIT_MS[m[2] ?? "s"] ?? 0);
  return total;
}

function lex(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  let bracket = false;
  while (i < src.length) {
    const c = src[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === "#") {
      while (i < src.length && src[i] !== "\n") i++;
      continue;
    }
    const rest = src.slice(i);
    if (bracket || (out.length > 0 && out[out.length - 1]?.text === "offset")) {
      const d = DURATION_RE.exec(rest);
      if (d) {
        out.push({ kind: "duration", text: d[0], pos: i });
        i += d[0].length;
        continue;
      }
    }
    if (c === '"' || c === "'" || c === "`") {
      let j = i + 1;
      let value = "";
      while (j < src.length && src[j] !== c) {
        if (src[j] === "\\" && c !== "`" && j + 1 < src.length) {
          const n = src[j + 1] as string;
          value += n === "n" ? "\n" : n === "t" ? "\t" : n;
          j += 2;
        } else {
          value += src[j];
          j++;
        }
      }
      if (j >= src.length) throw syntax(i, "unterminated quoted string");
      out.push({ kind: "string", text: value, pos: i });
      i = j + 1;
      continue;
    }
    const num = /^(0x[0-9a-fA-F]+|\d*\.?\d+(?:[eE][+-]?\d+)?)/.exec(rest);
    if (num && /[0-9.]/.test(c)) {
      out.push({ kind: "number", text: num[0], pos: i });
      i += num[0].length;
      continue;
    }
    const id = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(rest);
    if (id) {
      out.push({ kind: "ident", text: id[0], pos: i });
      i += id[0].length;
      continue;
    }
    const op = /^(==|!=|>=|<=|=~|!~|[-+*/%^<>=])/.exec(rest);
    if (op) {
      out.push({ kind: "op", text: op[0], pos: i });
      i += op[0].length;
      continue;
    }
    if ("(){}[],".includes(c)) {
      if (c === "[") bracket = true;
      if (c === "]") bracket = false;
      out.push({ kind: "punct", text: c, pos: i });
      i++;
      continue;
    }
    throw syntax(i, `unexpected character: '${c}'`);
  }
  out.push({ kind: "eof", text: "", pos: src.length });
  return out;
}

function syntax(pos: number, message: string): PromQLError {
  return new PromQLError(`1:${pos + 1}: parse error: ${message}`);
}

// ---------------------------------------------------------------- parser

const AGGREGATES = [
  "sum",
  "avg",
  "min",
  "max",
  "count",
  "topk",
  "bottomk",
  "group",
  "stddev",
  "stdvar",
  "quantile",
  "count_values",
];
const SUPPORTED_AGGREGATES = ["sum", "avg", "min", "max", "count", "topk", "bottomk", "group"];
export const FUNCTIONS: Record<string, ("vector" | "matrix" | "scalar")[]> = {
  rate: ["matrix"],
  irate: ["matrix"],
  increase: ["matrix"],
  delta: ["matrix"],
  avg_over_time: ["matrix"],
  max_over_time: ["matrix"],
  min_over_time: ["matrix"],
  sum_over_time: ["matrix"],
  count_over_time: ["matrix"],
  last_over_time: ["matrix"],
  abs: ["vector"],
  ceil: ["vector"],
  floor: ["vector"],
  round: ["vector"],
  clamp_min: ["vector", "scalar"],
  clamp_max: ["vector", "scalar"],
  scalar: ["vector"],
  vector: ["scalar"],
  time: [],
};

/** Binary operator precedence, loosest first. */
const PRECEDENCE: string[][] = [
  ["or"],
  ["and", "unless"],
  ["==", "!=", "<=", "<", ">=", ">"],
  ["+", "-"],
  ["*", "/", "%", "atan2"],
  ["^"],
];

class Parser {
  private i = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.i] as Token;
  }
  private next(): Token {
    const t = this.tokens[this.i] as Token;
    this.i++;
    return t;
  }
  private expect(text: string): Token {
    const t = this.next();
    if (t.text !== text || t.kind === "string")
      throw syntax(t.pos, `unexpected ${describe(t)}, expected "${text}"`);
    return t;
  }

  parse(): Expr {
    if (this.peek().kind === "eof") throw syntax(0, "no expression found in input");
    const e = this.binary(0);
    const t = this.peek();
    if (t.kind !== "eof") throw syntax(t.pos, `unexpected ${describe(t)}`);
    return e;
  }

  private binary(level: number): Expr {
    if (level >= PRECEDENCE.length) return this.unary();
    const ops = PRECEDENCE[level] as string[];
    const rightAssoc = ops.includes("^");
    let lhs = this.binary(level + 1);
    for (;;) {
      const t = this.peek();
      if (!((t.kind === "op" || t.kind === "ident") && ops.includes(t.text))) return lhs;
      this.next();
      let bool = false;
      let on: string[] | null = null;
      let ignoring: string[] | null = null;
      if (this.peek().text === "bool") {
        this.next();
        bool = true;
      }
      if (this.peek().text === "on" || this.peek().text === "ignoring") {
        const which = this.next().text;
        const labels = this.labelList();
        if (which === "on") on = labels;
        else ignoring = labels;
        if (this.peek().text === "group_left" || this.peek().text === "group_right") {
          throw syntax(this.peek().pos, "group_left/group_right are not supported by the simulator");
        }
      }
      const rhs = rightAssoc ? this.binary(level) : this.binary(level + 1);
      lhs = { type: "binary", op: t.text, lhs, rhs, bool, on, ignoring };
      if (rightAssoc) return lhs;
    }
  }

  private unary(): Expr {
    const t = this.peek();
    if (t.kind === "op" && (t.text === "-" || t.text === "+")) {
      this.next();
      const e = this.unary();
      return t.text === "-" ? { type: "unary", expr: e } : e;
    }
    return this.postfix(this.primary());
  }

  private postfix(e: Expr): Expr {
    let out = e;
    if (this.peek().text === "[" && this.peek().kind === "punct") {
      const open = this.next();
      const d = this.next();
      if (d.kind !== "duration")
        throw syntax(d.pos, `unexpected ${describe(d)} in subquery selector, expected duration`);
      if (this.peek().text === ":")
        throw syntax(this.peek().pos, "subqueries are not supported by the simulator");
      this.expect("]");
      if (out.type !== "selector" || out.range !== null)
        throw syntax(open.pos, "ranges only allowed for vector selectors");
      out = { ...out, range: parseDuration(d.text) ?? 0 };
    }
    if (this.peek().text === "offset" && this.peek().kind === "ident") {
      this.next();
      const d = this.next();
      const ms = d.kind === "duration" ? parseDuration(d.text) : null;
      if (ms === null) throw syntax(d.pos, `unexpected ${describe(d)} in offset, expected duration`);
      if (out.type !== "selector")
        throw syntax(
          d.pos,
          "offset modifier must be preceded by an instant vector selector or range vector selector",
        );
      out = { ...out, offset: ms };
    }
    return out;
  }

  private labelList(): string[] {
    this.expect("(");
    const out: string[] = [];
    while (this.peek().text !== ")") {
      const t = this.next();
      if (t.kind !== "ident")
        throw syntax(t.pos, `unexpected ${describe(t)} in grouping opts, expected label`);
      out.push(t.text);
      if (this.peek().text === ",") this.next();
      else if (this.peek().text !== ")")
        throw syntax(
          this.peek().pos,
          `unexpected ${describe(this.peek())} in grouping opts, expected ")" or ","`,
        );
    }
    this.expect(")");
    return out;
  }

  private primary(): Expr {
    const t = this.next();
    if (t.kind === "number") return { type: "number", value: Number(t.text) };
    if (t.kind === "string") return { type: "string", value: t.text };
    if (t.kind === "punct" && t.text === "(") {
      const e = this.binary(0);
      this.expect(")");
      return e;
    }
    if (t.kind === "punct" && t.text === "{") {
      this.i--;
      return { type: "selector", name: null, matchers: this.matchers(), range: null, offset: 0 };
    }
    if (t.kind === "ident") {
      const lower = t.text.toLowerCase();
      if (lower === "inf" || lower === "nan")
        return { type: "number", value: lower === "inf" ? Number.POSITIVE_INFINITY : Number.NaN };
      if (
        AGGREGATES.includes(t.text) &&
        (this.peek().text === "(" || this.peek().text === "by" || this.peek().text === "without")
      ) {
        return this.aggregate(t);
      }
      if (this.peek().text === "(" && this.peek().kind === "punct") {
        if (!(t.text in FUNCTIONS)) throw syntax(t.pos, `unknown function with name "${t.text}"`);
        this.next();
        const args: Expr[] = [];
        while (this.peek().text !== ")") {
          args.push(this.binary(0));
          if (this.peek().text === ",") this.next();
          else if (this.peek().text !== ")")
            throw syntax(
              this.peek().pos,
              `unexpected ${describe(this.peek())} in call to function, expected ")" or ","`,
            );
        }
        this.expect(")");
        return { type: "call", func: t.text, args };
      }
      const matchers = this.peek().text === "{" ? this.matchers() : [];
      return { type: "selector", name: t.text, matchers, range: null, offset: 0 };
    }
    throw syntax(t.pos, `unexpected ${describe(t)}`);
  }

  private aggregate(t: Token): Expr {
    if (!SUPPORTED_AGGREGATES.includes(t.text))
      throw syntax(t.pos, `aggregation "${t.text}" is not supported by the simulator`);
    let by: string[] | null = null;
    let without: string[] | null = null;
    const grouping = (): void => {
      if (this.peek().text === "by") {
        this.next();
        by = this.labelList();
      } else if (this.peek().text === "without") {
        this.next();
        without = this.labelList();
      }
    };
    grouping();
    this.expect("(");
    let param: Expr | null = null;
    if (t.text === "topk" || t.text === "bottomk") {
      param = this.binary(0);
      this.expect(",");
    }
    const expr = this.binary(0);
    this.expect(")");
    if (by === null && without === null) grouping();
    return { type: "aggregate", op: t.text, by, without, param, expr };
  }

  private matchers(): Matcher[] {
    this.expect("{");
    const out: Matcher[] = [];
    while (this.peek().text !== "}") {
      const name = this.next();
      if (name.kind !== "ident")
        throw syntax(name.pos, `unexpected ${describe(name)} in label matching, expected label`);
      const op = this.next();
      if (!(op.kind === "op" && ["=", "!=", "=~", "!~"].includes(op.text))) {
        throw syntax(
          op.pos,
          `unexpected ${describe(op)} in label matching, expected label matching operator`,
        );
      }
      const value = this.next();
      if (value.kind !== "string")
        throw syntax(value.pos, `unexpected ${describe(value)} in label matching, expected string`);
      if (op.text === "=~" || op.text === "!~") {
        try {
          new RegExp(`^(?:${value.text})$`);
        } catch {
          throw syntax(value.pos, `error parsing regexp: invalid expression: \`${value.text}\``);
        }
      }
      out.push({ name: name.text, op: op.text as Matcher["op"], value: value.text });
      if (this.peek().text === ",") this.next();
      else if (this.peek().text !== "}")
        throw syntax(
          this.peek().pos,
          `unexpected ${describe(this.peek())} in label matching, expected "," or "}"`,
        );
    }
    this.expect("}");
    return out;
  }
}

function describe(t: Token): string {
  if (t.kind === "eof") return "end of input";
  if (t.kind === "ident") return `identifier "${t.text}"`;
  if (t.kind === "number") return `number "${t.text}"`;
  if (t.kind === "string") return `string "${t.text}"`;
  if (t.kind === "duration") return `duration "${t.text}"`;
  return `character "${t.text}"`;
}

export function parsePromQL(src: string): Expr {
  const e = new Parser(lex(src)).parse();
  if (e.type === "selector" && e.name === null && e.matchers.every((m) => matchesEmpty(m))) {
    throw new PromQLError("vector selector must contain at least one non-empty matcher");
  }
  return e;
}

function matchesEmpty(m: Matcher): boolean {
  return labelMatches(m, "");
}

export function labelMatches(m: Matcher, actual: string): boolean {
  switch (m.op) {
    case "=":
      return actual === m.value;
    case "!=":
      return actual !== m.value;
    case "=~":
      return new RegExp(`^(?:${m.value})$`).test(actual);
    case "!~":
      return !new RegExp(`^(?:${m.value})$`).test(actual);
  }
}

/** The static type of an expression, for Prometheus's type errors. */
export function exprType(e: Expr): "scalar" | "vector" | "matrix" | "string" {
  switch (e.type) {
    case "number":
      return "scalar";
    case "string":
      return "string";
    case "selector":
      return e.range === null ? "vector" : "matrix";
    case "call":
      return e.func === "scalar" || e.func === "time" ? "scalar" : "vector";
    case "aggregate":
      return "vector";
    case "unary":
      return exprType(e.expr);
    case "binary":
      return exprType(e.lhs) === "scalar" && exprType(e.rhs) === "scalar" ? "scalar" : "vector";
  }
}

// ---------------------------------------------------------------- evaluation

export type Labels = Record<string, string>;
export interface Sample {
  labels: Labels;
  value: number;
}
export interface RangeSeries {
  labels: Labels;
  points: [number, number][];
}
export type Value =
  | { type: "scalar"; value: number }
  | { type: "string"; value: string }
  | { type: "vector"; samples: Sample[] }
  | { type: "matrix"; series: RangeSeries[] };

export interface DataSource {
  /** Series matching the selector, with their values at sample times. */
  select(name: string | null, matchers: Matcher[]): { labels: Labels; at(ms: number): number | null }[];
  /** Sample spacing in ms: samples sit at multiples of it. */
  step: number;
}

const LOOKBACK_MS = 5 * 60_000;

function typeError(func: string, want: string, got: string): PromQLError {
  const names: Record<string, string> = {
    vector: "instant vector",
    matrix: "range vector",
    scalar: "scalar",
    string: "string",
  };
  return new PromQLError(
    `expected type ${names[want] ?? want} in call to function "${func}", got ${names[got] ?? got}`,
  );
}

function withoutName(labels: Labels): Labels {
  const { __name__: _drop, ...rest } = labels;
  return rest;
}

function signature(labels: Labels, on: string[] | null, ignoring: string[] | null): string {
  const keys = Object.keys(labels)
    .filter((k) => k !== "__name__")
    .filter((k) => (on ? on.includes(k) : true))
    .filter((k) => (ignoring ? !ignoring.includes(k) : true))
    .sort();
  return JSON.stringify(keys.map((k) => [k, labels[k]]));
}

function arith(op: string, a: number, b: number): number {
  switch (op) {
    case "+":
      return a + b;
    case "-":
      return a - b;
    case "*":
      return a * b;
    case "/":
      return a / b;
    case "%":
      return a % b;
    case "^":
      return a ** b;
    case "atan2":
      return Math.atan2(a, b);
    default:
      return Number.NaN;
  }
}

function compare(op: string, a: number, b: number): boolean {
  switch (op) {
    case "==":
      return a === b;
    case "!=":
      return a !== b;
    case ">":
      return a > b;
    case "<":
      return a < b;
    case ">=":
      return a >= b;
    case "<=":
      return a <= b;
    default:
      return false;
  }
}

const COMPARISONS = ["==", "!=", ">", "<", ">=", "<="];

/** Prometheus's extrapolated rate/increase/delta over the samples of one window. */
function extrapolate(
  points: [number, number][],
  windowStart: number,
  windowEnd: number,
  counter: boolean,
  isRate: boolean,
): number | null {
  if (points.length < 2) return null;
  const [firstT, firstV] = points[0] as [number, number];
  const [lastT, lastV] = points[points.length - 1] as [number, number];
  let delta = lastV - firstV;
  if (counter) {
    let prev = firstV;
    for (const [, v] of points) {
      if (v < prev) delta += prev;
      prev = v;
    }
  }
  const sampled = (lastT - firstT) / 1000;
  const avg = sampled / (points.length - 1);
  let toStart = (firstT - windowStart) / 1000;
  const toEnd = (windowEnd - lastT) / 1000;
  if (counter && delta > 0 && firstV >= 0) {
    const toZero = sampled * (firstV / delta);
    if (toZero < toStart) toStart = toZero;
  }
  const threshold = avg * 1.1;
  const extended =
    sampled + (toStart < threshold ? toStart : avg / 2) + (toEnd < threshold ? toEnd : avg / 2);
  let result = delta * (extended / sampled);
  if (isRate) result /= (windowEnd - windowStart) / 1000;
  return result;
}

export class Evaluator {
  constructor(private readonly source: DataSource) {}

  private sampleTime(ms: number): number {
    return Math.floor(ms / this.source.step) * this.source.step;
  }

  eval(e: Expr, t: number): Value {
    switch (e.type) {
      case "number":
        return { type: "scalar", value: e.value };
      case "string":
        return { type: "string", value: e.value };
      case "selector":
        return e.range === null ? this.instant(e, t) : this.range(e, t);
      case "unary": {
        const v = this.eval(e.expr, t);
        if (v.type === "scalar") return { type: "scalar", value: -v.value };
        if (v.type === "vector")
          return {
            type: "vector",
            samples: v.samples.map((s) => ({ labels: withoutName(s.labels), value: -s.value })),
          };
        throw new PromQLError(
          "unary expression only allowed on expressions of type scalar or instant vector",
        );
      }
      case "call":
        return this.call(e, t);
      case "aggregate":
        return this.aggregate(e, t);
      case "binary":
        return this.binary(e, t);
    }
  }

  private instant(e: Extract<Expr, { type: "selector" }>, t: number): Value {
    const at = t - e.offset;
    const sample = this.sampleTime(at);
    const samples: Sample[] = [];
    for (const s of this.source.select(e.name, e.matchers)) {
      // The newest sample within the lookback window.
      for (let ts = sample; ts > at - LOOKBACK_MS; ts -= this.source.step) {
        const v = s.at(ts);
        if (v !== null) {
          samples.push({ labels: s.labels, value: v });
          break;
        }
      }
    }
    return { type: "vector", samples };
  }

  private range(e: Extract<Expr, { type: "selector" }>, t: number): Value {
    const end = t - e.offset;
    const start = end - (e.range ?? 0);
    const series: RangeSeries[] = [];
    for (const s of this.source.select(e.name, e.matchers)) {
      const points: [number, number][] = [];
      for (let ts = this.sampleTime(start) + this.source.step; ts <= end; ts += this.source.step) {
        if (ts <= start) continue;
        const v = s.at(ts);
        if (v !== null) points.push([ts, v]);
      }
      if (points.length > 0) series.push({ labels: s.labels, points });
    }
    return { type: "matrix", series };
  }

  private call(e: Extract<Expr, { type: "call" }>, t: number): Value {
    const want = FUNCTIONS[e.func] ?? [];
    if (e.args.length !== want.length) {
      throw new PromQLError(
        `expected ${want.length} argument(s) in call to "${e.func}", got ${e.args.length}`,
      );
    }
    e.args.forEach((a, i) => {
      const got = exprType(a);
      if (got !== want[i]) throw typeError(e.func, want[i] ?? "", got);
    });
    if (e.func === "time") return { type: "scalar", value: t / 1000 };
    const first = e.args[0] as Expr;
    if (want[0] === "matrix") {
      const sel = first as Extract<Expr, { type: "selector" }>;
      const m = this.eval(first, t);
      if (m.type !== "matrix") throw typeError(e.func, "matrix", m.type);
      const end = t - sel.offset;
      const start = end - (sel.range ?? 0);
      const samples: Sample[] = [];
      for (const s of m.series) {
        const values = s.points.map(([, v]) => v);
        let v: number | null = null;
        switch (e.func) {
          case "rate":
            v = extrapolate(s.points, start, end, true, true);
            break;
          case "increase":
            v = extrapolate(s.points, start, end, true, false);
            break;
          case "delta":
            v = extrapolate(s.points, start, end, false, false);
            break;
          case "irate": {
            if (s.points.length < 2) break;
            const [t1, v1] = s.points[s.points.length - 2] as [number, number];
            const [t2, v2] = s.points[s.points.length - 1] as [number, number];
            v = (v2 < v1 ? v2 : v2 - v1) / ((t2 - t1) / 1000);
            break;
          }
          case "avg_over_time":
            v = values.reduce((a, x) => a + x, 0) / values.length;
            break;
          case "max_over_time":
            v = Math.max(...values);
            break;
          case "min_over_time":
            v = Math.min(...values);
            break;
          case "sum_over_time":
            v = values.reduce((a, x) => a + x, 0);
            break;
          case "count_over_time":
            v = values.length;
            break;
          case "last_over_time":
            v = values[values.length - 1] ?? null;
            break;
        }
        if (v !== null)
          samples.push({ labels: e.func === "last_over_time" ? s.labels : withoutName(s.labels), value: v });
      }
      return { type: "vector", samples };
    }
    if (e.func === "vector") {
      const s = this.eval(first, t);
      return { type: "vector", samples: [{ labels: {}, value: s.type === "scalar" ? s.value : Number.NaN }] };
    }
    const v = this.eval(first, t);
    if (v.type !== "vector") throw typeError(e.func, "vector", v.type);
    if (e.func === "scalar")
      return { type: "scalar", value: v.samples.length === 1 ? (v.samples[0] as Sample).value : Number.NaN };
    const arg = e.args[1] ? this.eval(e.args[1], t) : null;
    const bound = arg?.type === "scalar" ? arg.value : Number.NaN;
    const fn: Record<string, (x: number) => number> = {
      abs: Math.abs,
      ceil: Math.ceil,
      floor: Math.floor,
      round: Math.round,
      clamp_min: (x) => Math.max(x, bound),
      clamp_max: (x) => Math.min(x, bound),
    };
    const f = fn[e.func] ?? ((x: number) => x);
    return {
      type: "vector",
      samples: v.samples.map((s) => ({ labels: withoutName(s.labels), value: f(s.value) })),
    };
  }

  private aggregate(e: Extract<Expr, { type: "aggregate" }>, t: number): Value {
    const v = this.eval(e.expr, t);
    if (v.type !== "vector")
      throw new PromQLError(
        `expected type instant vector in aggregation expression, got ${v.type === "matrix" ? "range vector" : v.type}`,
      );
    const groupLabels = (labels: Labels): Labels => {
      if (e.by)
        return Object.fromEntries(
          e.by.filter((k) => labels[k] !== undefined).map((k) => [k, labels[k] as string]),
        );
      if (e.without)
        return Object.fromEntries(
          Object.entries(withoutName(labels)).filter(([k]) => !(e.without ?? []).includes(k)),
        );
      return {};
    };
    const groups = new Map<string, { labels: Labels; samples: Sample[] }>();
    for (const s of v.samples) {
      const labels = groupLabels(s.labels);
      const key = JSON.stringify(Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)));
      const g = groups.get(key) ?? { labels, samples: [] };
      g.samples.push(s);
      groups.set(key, g);
    }
    if (e.op === "topk" || e.op === "bottomk") {
      const k = e.param ? this.eval(e.param, t) : null;
      if (!k || k.type !== "scalar")
        throw new PromQLError(`expected type scalar in aggregation parameter, got ${k?.type ?? "none"}`);
      const out: Sample[] = [];
      for (const g of groups.values()) {
        const sorted = [...g.samples].sort((a, b) =>
          e.op === "topk" ? b.value - a.value : a.value - b.value,
        );
        out.push(...sorted.slice(0, Math.max(0, Math.floor(k.value))));
      }
      return { type: "vector", samples: out };
    }
    const out: Sample[] = [];
    for (const g of groups.values()) {
      const values = g.samples.map((s) => s.value);
      let value: number;
      switch (e.op) {
        case "sum":
          value = values.reduce((a, x) => a + x, 0);
          break;
        case "avg":
          value = values.reduce((a, x) => a + x, 0) / values.length;
          break;
        case "min":
          value = Math.min(...values);
          break;
        case "max":
          value = Math.max(...values);
          break;
        case "count":
          value = values.length;
          break;
        default:
          value = 1;
      }
      out.push({ labels: g.labels, value });
    }
    return { type: "vector", samples: out };
  }

  private binary(e: Extract<Expr, { type: "binary" }>, t: number): Value {
    const lhs = this.eval(e.lhs, t);
    const rhs = this.eval(e.rhs, t);
    const isCmp = COMPARISONS.includes(e.op);
    const isSet = e.op === "and" || e.op === "or" || e.op === "unless";
    if (lhs.type === "matrix" || rhs.type === "matrix" || lhs.type === "string" || rhs.type === "string") {
      throw new PromQLError(`binary expression must contain only scalar and instant vector types`);
    }
    if (isSet && (lhs.type !== "vector" || rhs.type !== "vector"))
      throw new PromQLError(`set operator "${e.op}" not allowed in binary scalar expression`);
    if (lhs.type === "scalar" && rhs.type === "scalar") {
      if (isCmp) {
        if (!e.bool) throw new PromQLError("comparisons between scalars must use BOOL modifier");
        return { type: "scalar", value: compare(e.op, lhs.value, rhs.value) ? 1 : 0 };
      }
      return { type: "scalar", value: arith(e.op, lhs.value, rhs.value) };
    }
    if (lhs.type === "vector" && rhs.type === "vector") {
      const index = new Map<string, Sample>();
      for (const s of rhs.samples) index.set(signature(s.labels, e.on, e.ignoring), s);
      if (isSet) {
        const lsigs = new Set(lhs.samples.map((s) => signature(s.labels, e.on, e.ignoring)));
        if (e.op === "and")
          return {
            type: "vector",
            samples: lhs.samples.filter((s) => index.has(signature(s.labels, e.on, e.ignoring))),
          };
        if (e.op === "unless")
          return {
            type: "vector",
            samples: lhs.samples.filter((s) => !index.has(signature(s.labels, e.on, e.ignoring))),
          };
        return {
          type: "vector",
          samples: [
            ...lhs.samples,
            ...rhs.samples.filter((s) => !lsigs.has(signature(s.labels, e.on, e.ignoring))),
          ],
        };
      }
      const out: Sample[] = [];
      for (const l of lhs.samples) {
        const r = index.get(signature(l.labels, e.on, e.ignoring));
        if (!r) continue;
        const labels = e.on
          ? Object.fromEntries(
              e.on.filter((k) => l.labels[k] !== undefined).map((k) => [k, l.labels[k] as string]),
            )
          : withoutName(l.labels);
        if (isCmp) {
          const ok = compare(e.op, l.value, r.value);
          if (e.bool) out.push({ labels, value: ok ? 1 : 0 });
          else if (ok) out.push({ labels: l.labels, value: l.value });
        } else {
          out.push({ labels, value: arith(e.op, l.value, r.value) });
        }
      }
      return { type: "vector", samples: out };
    }
    // Vector and scalar, either side.
    const vector = (lhs.type === "vector" ? lhs : rhs) as Extract<Value, { type: "vector" }>;
    const scalar = (lhs.type === "scalar" ? lhs : rhs) as Extract<Value, { type: "scalar" }>;
    const vecLeft = lhs.type === "vector";
    const out: Sample[] = [];
    for (const s of vector.samples) {
      const a = vecLeft ? s.value : scalar.value;
      const b = vecLeft ? scalar.value : s.value;
      if (isCmp) {
        const ok = compare(e.op, a, b);
        if (e.bool) out.push({ labels: withoutName(s.labels), value: ok ? 1 : 0 });
        else if (ok) out.push({ labels: s.labels, value: s.value });
      } else {
        out.push({ labels: withoutName(s.labels), value: arith(e.op, a, b) });
      }
    }
    return { type: "vector", samples: out };
  }
}

/** Prometheus prints sample values as strings: shortest form, with NaN and ±Inf spelled out. */
export function formatValue(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Number.POSITIVE_INFINITY) return "+Inf";
  if (v === Number.NEGATIVE_INFINITY) return "-Inf";
  return String(v);
}
