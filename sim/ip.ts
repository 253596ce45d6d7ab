// IPv4/IPv6 address and CIDR arithmetic for Neutron's IPAM (BigInt, both families alike).

export interface Cidr {
  version: 4 | 6;
  network: bigint;
  prefix: number;
}

export interface ParsedIp {
  version: 4 | 6;
  value: bigint;
}

export function parseIp(text: string): ParsedIp | null {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(text)) {
    const parts = text.split(".").map(Number);
    if (parts.some((p) => p > 255)) return null;
    return { version: 4, value: parts.reduce((acc, p) => (acc << 8n) | BigInt(p), 0n) };
  }
  if (!text.includes(":") || !/^[0-9a-fA-F:.]+$/.test(text)) return null;
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const groups = (s: string): string[] | null => {
    if (s === "") return [];
    const out: string[] = [];
    for (const g of s.split(":")) {
      if (g.includes(".")) {
        const v4 = parseIp(g);
        if (!v4 || v4.version !== 4) return null;
        out.push(((v4.value >> 16n) & 0xffffn).toString(16), (v4.value & 0xffffn).toString(16));
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
        out.push(g);
      }
    }
    return out;
  };
  const head = groups(halves[0] ?? "");
  const tail = halves.length === 2 ? groups(halves[1] ?? "") : [];
  if (!head || !tail) return null;
  const missing = 8 - head.length - tail.length;
  if ((halves.length === 2 && missing < 1) || (halves.length === 1 && missing !== 0)) return null;
  const all = [...head, ...Array<string>(Math.max(0, missing)).fill("0"), ...tail];
  return { version: 6, value: all.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n) };
}

export function formatIp(version: 4 | 6, value: bigint): string {
  if (version === 4) return [24n, 16n, 8n, 0n].map((s) => ((value >> s) & 0xffn).toString()).join(".");
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) groups.push(Number((value >> BigInt(i * 16)) & 0xffffn));
  // RFC 5952: compress the longest run (length ≥ 2) of zero groups.
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(":");
  return `${hex.slice(0, bestStart).join(":")}::${hex.slice(bestStart + bestLen).join(":")}`;
}

export function bitsOf(version: 4 | 6): number {
  return version === 4 ? 32 : 128;
}

function mask(version: 4 | 6, prefix: number): bigint {
  const bits = BigInt(bitsOf(version));
  return ((1n << bits) - 1n) ^ ((1n << (bits - BigInt(prefix))) - 1n);
}

/** Parses "a.b.c.d/n"; `strict` rejects host bits (Neutron does for subnets). */
export function parseCidr(text: string, strict = true): Cidr | null {
  const [addr, len, extra] = text.split("/");
  if (addr === undefined || extra !== undefined) return null;
  const ip = parseIp(addr);
  if (!ip) return null;
  const prefix = len === undefined ? bitsOf(ip.version) : Number(len);
  if (
    !Number.isInteger(prefix) ||
    prefix < 0 ||
    prefix > bitsOf(ip.version) ||
    (len !== undefined && !/^\d+$/.test(len))
  )
    return null;
  const network = ip.value & mask(ip.version, prefix);
  if (strict && network !== ip.value) return null;
  return { version: ip.version, network, prefix };
}

export function formatCidr(c: Cidr): string {
  return `${formatIp(c.version, c.network)}/${c.prefix}`;
}

export function cidrSize(c: Cidr): bigint {
  return 1n << BigInt(bitsOf(c.version) - c.prefix);
}

export function cidrLast(c: Cidr): bigint {
  return c.network + cidrSize(c) - 1n;
}

export function cidrContains(c: Cidr, ip: ParsedIp): boolean {
  return ip.version === c.version && ip.value >= c.network && ip.value <= cidrLast(c);
}

export function cidrOverlap(a: Cidr, b: Cidr): boolean {
  return a.version === b.version && a.network <= cidrLast(b) && b.network <= cidrLast(a);
}

/** Neutron's defaults: gateway = first host, pool = the rest minus the IPv4 broadcast address. */
export function defaultGateway(c: Cidr): bigint | null {
  if (cidrSize(c) < 2n) return null;
  return c.network + 1n;
}

export function defaultPoolRange(c: Cidr): [bigint, bigint] | null {
  const first = c.network + 1n;
  const last = c.version === 4 ? cidrLast(c) - 1n : cidrLast(c);
  if (last < first) return null;
  return [first, last];
}
