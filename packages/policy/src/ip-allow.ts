/** IP allow-lists: exact addresses and CIDR ranges, IPv4 and IPv6 (IPv4-mapped IPv6 matches IPv4 rules). */

function parseV4(ip: string): bigint | undefined {
  const parts = ip.split(".");
  if (parts.length !== 4) return undefined;
  let n = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return undefined;
    n = (n << 8n) | BigInt(p);
  }
  return n;
}

function parseV6(ip: string): bigint | undefined {
  let addr = ip.toLowerCase();
  const zone = addr.indexOf("%");
  if (zone >= 0) addr = addr.slice(0, zone);
  let tailV4: bigint | undefined;
  const lastColon = addr.lastIndexOf(":");
  if (addr.includes(".")) {
    tailV4 = parseV4(addr.slice(lastColon + 1));
    if (tailV4 === undefined) return undefined;
    addr = `${addr.slice(0, lastColon + 1)}0:0`;
  }
  const halves = addr.split("::");
  if (halves.length > 2) return undefined;
  const head = halves[0] ? halves[0].split(":") : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(":") : [];
  const missing = 8 - head.length - tail.length;
  if ((halves.length === 1 && missing !== 0) || missing < 0) return undefined;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill("0"), ...tail];
  let n = 0n;
  for (const g of groups) {
    if (!/^[0-9a-f]{1,4}$/.test(g)) return undefined;
    n = (n << 16n) | BigInt(parseInt(g, 16));
  }
  if (tailV4 !== undefined) n = (n & ~0xffffffffn) | tailV4;
  return n;
}

interface Addr { v: 4 | 6; n: bigint }

function parseAddr(ip: string): Addr | undefined {
  const v4 = parseV4(ip);
  if (v4 !== undefined) return { v: 4, n: v4 };
  const v6 = parseV6(ip);
  if (v6 === undefined) return undefined;
  // ::ffff:a.b.c.d is an IPv4 client on a dual-stack socket.
  if (v6 >> 32n === 0xffffn) return { v: 4, n: v6 & 0xffffffffn };
  return { v: 6, n: v6 };
}

function matches(rule: string, addr: Addr): boolean {
  const [base, bitsText] = rule.split("/");
  const net = parseAddr(base!.trim());
  if (!net || net.v !== addr.v) return false;
  const width = addr.v === 4 ? 32 : 128;
  const bits = bitsText === undefined ? width : Number(bitsText);
  if (!Number.isInteger(bits) || bits < 0 || bits > width) return false;
  const shift = BigInt(width - bits);
  return net.n >> shift === addr.n >> shift;
}

export function isValidIpRule(rule: string): boolean {
  const [base, bits] = rule.split("/");
  const a = parseAddr(base!.trim());
  if (!a) return false;
  if (bits === undefined) return true;
  const n = Number(bits);
  return Number.isInteger(n) && n >= 0 && n <= (a.v === 4 ? 32 : 128);
}

/** True when `ip` matches an entry; an empty list allows every address. */
export function ipAllowed(rules: readonly string[], ip: string): boolean {
  if (rules.length === 0) return true;
  const addr = parseAddr(ip);
  return addr !== undefined && rules.some((r) => matches(r, addr));
}
