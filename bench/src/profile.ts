import { readdirSync, readFileSync } from "node:fs";
import { SourceMap } from "node:module";
import { join, relative } from "node:path";

interface CpuProfileNode {
  id: number;
  children?: number[];
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
}

interface CpuProfile {
  nodes: CpuProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileEntry {
  name: string;
  where: string;
  selfMs: number;
  /** Share of the non-idle time. */
  pct: number;
}

export interface ProfileSummary {
  file: string;
  busyMs: number;
  topFunctions: ProfileEntry[];
  /** Self time by package. */
  byArea: ProfileEntry[];
  /** Node's own work (streams, sockets, the fetch Request...) charged to the package whose code called it. */
  byCallerArea: ProfileEntry[];
}

const pseudo = new Set(["(idle)", "(program)", "(garbage collector)", "(root)"]);

/** Where a frame comes from: a package name, the gateway's own code, Node internals or the VM. */
function areaOf(source: string, frameName: string): string {
  if (pseudo.has(frameName)) return frameName === "(garbage collector)" ? "GC" : frameName;
  if (source.startsWith("node:") || source === "") return "node internals";
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*node_modules\/)/.exec(source);
  if (pkg) return pkg[1]!;
  const ws = /(?:^|\/)(apps|packages)\/([^/]+)\//.exec(source);
  if (ws) return `@portcullis/${ws[2]}`;
  return source;
}

/**
 * Self time per function of a `node --cpu-prof` profile, mapped through the bundle's
 * source map back to the package and line it was bundled from.
 */
export function summarizeProfile(dir: string, root: string, top = 15): ProfileSummary | undefined {
  const file = readdirSync(dir).find((f) => f.endsWith(".cpuprofile"));
  if (!file) return undefined;
  const profile = JSON.parse(readFileSync(join(dir, file), "utf8")) as CpuProfile;
  const maps = new Map<string, SourceMap | null>();
  const mapFor = (url: string): SourceMap | null => {
    if (!maps.has(url)) {
      let map: SourceMap | null = null;
      try {
        if (url.startsWith("file://")) map = new SourceMap(JSON.parse(readFileSync(`${new URL(url).pathname}.map`, "utf8")));
      } catch {
        map = null;
      }
      maps.set(url, map);
    }
    return maps.get(url)!;
  };
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));

  const byFn = new Map<string, ProfileEntry>();
  const byArea = new Map<string, ProfileEntry>();
  const byCaller = new Map<string, ProfileEntry>();
  const parentOf = new Map<number, CpuProfileNode>();
  for (const node of profile.nodes) for (const c of node.children ?? []) parentOf.set(c, node);
  const areaById = new Map<number, string>();
  const add = (m: Map<string, ProfileEntry>, name: string, where: string, us: number) => {
    const e = m.get(`${name} ${where}`) ?? { name, where, selfMs: 0, pct: 0 };
    e.selfMs += us / 1000;
    m.set(`${name} ${where}`, e);
  };
  /** The node's own area, or for Node internals the nearest caller's that is not. */
  const callerArea = (node: CpuProfileNode): string => {
    for (let n: CpuProfileNode | undefined = node; n; n = parentOf.get(n.id)) {
      const a = areaById.get(n.id);
      if (a && a !== "node internals" && a !== "(root)") return a;
    }
    return "node internals, no package caller (event loop, socket reads)";
  };
  const located = new Map<number, { name: string; source: string; line: number }>();
  for (const node of profile.nodes) {
    const { functionName, url, lineNumber, columnNumber } = node.callFrame;
    let source = url;
    let line = lineNumber + 1;
    const entry = mapFor(url)?.findEntry(lineNumber, columnNumber);
    if (entry && "originalSource" in entry && entry.originalSource) {
      source = entry.originalSource.startsWith("file://") ? relative(root, new URL(entry.originalSource).pathname) : entry.originalSource;
      line = entry.originalLine + 1;
    }
    source = source.replace(/^(\.\.\/)+/, "");
    const name = functionName || "(anonymous)";
    located.set(node.id, { name, source, line });
    areaById.set(node.id, areaOf(source, name));
  }
  let busyUs = 0;
  for (const node of profile.nodes) {
    const us = selfUs.get(node.id) ?? 0;
    const at = located.get(node.id)!;
    if (us === 0 || at.name === "(idle)") continue;
    busyUs += us;
    add(byFn, at.name, pseudo.has(at.name) ? "" : `${at.source}:${at.line}`, us);
    add(byArea, areaById.get(node.id)!, "", us);
    add(byCaller, callerArea(node), "", us);
  }
  const rank = (m: Map<string, ProfileEntry>, n: number) =>
    [...m.values()].sort((x, y) => y.selfMs - x.selfMs).slice(0, n).map((e) => ({ ...e, pct: (100 * e.selfMs) / (busyUs / 1000) }));
  return { file: join(dir, file), busyMs: busyUs / 1000, topFunctions: rank(byFn, top), byArea: rank(byArea, 12), byCallerArea: rank(byCaller, 12) };
}
