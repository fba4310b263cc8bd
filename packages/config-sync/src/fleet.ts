import { busNames, type Bus } from "./bus";

/** A gateway's circuit breakers: how many it tracks and which are not closed. */
export interface CircuitSummary {
  tracked: number;
  open: number;
  halfOpen: number;
  /** Targets (provider key + model) whose circuit is open or half-open. */
  notClosed: Array<{ target: string; state: "open" | "half-open"; lastError: string | null }>;
}

/** What each gateway reports about itself under `keys.node(name)`. */
export interface NodeReport {
  node: string;
  version: string | null;
  hash: string | null;
  appliedAt: string | null;
  startedAt: string;
  /** Where the configuration came from and whether the node knows it is behind. */
  source?: string | null;
  stale?: boolean;
  circuits?: CircuitSummary;
  reportedAt: string;
}

export interface FleetReporterOptions {
  bus: Bus;
  nodeName: string;
  /** The node's current configuration, read at each report. */
  state: () => { version: string | null; hash: string | null; appliedAt: string | null; source?: string | null; stale?: boolean };
  /** More of the node's state, read at each report (the gateway's circuit breakers). */
  extra?: () => Pick<NodeReport, "circuits">;
  startedAt?: Date;
  /** Refresh period (default 5 s); the key lives `ttlSeconds` (default 15 s), so a node that stops disappears. */
  intervalMs?: number;
  ttlSeconds?: number;
  namespace?: string;
  now?: () => Date;
}

export interface FleetReporter {
  /** Reports now (e.g. right after applying a version); failures are swallowed like the periodic ones. */
  reportNow(): Promise<void>;
  stop(): void;
}

export function startFleetReporter(opts: FleetReporterOptions): FleetReporter {
  const names = busNames(opts.namespace);
  const startedAt = (opts.startedAt ?? new Date()).toISOString();
  const now = opts.now ?? (() => new Date());
  const reportNow = async () => {
    const report: NodeReport = { node: opts.nodeName, ...opts.state(), ...opts.extra?.(), startedAt, reportedAt: now().toISOString() };
    // A missed report only ages the key; the next one or the TTL settles it.
    await opts.bus.set(names.keys.node(opts.nodeName), JSON.stringify(report), opts.ttlSeconds ?? 15).catch(() => {});
  };
  void reportNow();
  const timer = setInterval(() => void reportNow(), opts.intervalMs ?? 5000);
  timer.unref();
  return { reportNow, stop: () => clearInterval(timer) };
}

export interface FleetStatus {
  /** The version nodes should be at: the one given, else the newest any node reports. */
  expectedVersion: string | null;
  nodes: NodeReport[];
  upToDate: NodeReport[];
  lagging: NodeReport[];
  /** Circuits open or half-open anywhere, by node. */
  openCircuits: Array<{ node: string; target: string; state: "open" | "half-open"; lastError: string | null }>;
  /** e.g. "v42 on 9 of 10 nodes". */
  summary: string;
}

/** Pure: groups reports against the expected version. */
export function summarizeFleet(nodes: NodeReport[], expectedVersion?: bigint | string | null): FleetStatus {
  const sorted = [...nodes].sort((a, b) => a.node.localeCompare(b.node));
  const versions = sorted.flatMap((n) => (n.version === null ? [] : [BigInt(n.version)]));
  const expected =
    expectedVersion !== undefined && expectedVersion !== null
      ? BigInt(expectedVersion)
      : versions.length ? versions.reduce((a, b) => (a > b ? a : b)) : null;
  const upToDate = expected === null ? [] : sorted.filter((n) => n.version !== null && BigInt(n.version) >= expected);
  const lagging = sorted.filter((n) => !upToDate.includes(n));
  const noun = sorted.length === 1 ? "node" : "nodes";
  const summary =
    sorted.length === 0
      ? "no gateway has reported"
      : expected === null
        ? `no configuration on ${sorted.length} ${noun}`
        : `v${expected} on ${upToDate.length} of ${sorted.length} ${noun}`;
  const openCircuits = sorted.flatMap((n) => (n.circuits?.notClosed ?? []).map((c) => ({ node: n.node, ...c })));
  const circuits = openCircuits.length ? `; ${openCircuits.length} circuit${openCircuits.length === 1 ? "" : "s"} not closed` : "";
  return { expectedVersion: expected === null ? null : expected.toString(), nodes: sorted, upToDate, lagging, openCircuits, summary: summary + circuits };
}

/** Reads every live node report from the bus. */
export async function readFleetStatus(bus: Bus, expectedVersion?: bigint | string | null, namespace?: string): Promise<FleetStatus> {
  const names = busNames(namespace);
  const reports: NodeReport[] = [];
  for (const key of await bus.keys(names.keys.nodePrefix)) {
    const raw = await bus.get(key);
    if (!raw) continue; // expired between the listing and the read
    try {
      reports.push(JSON.parse(raw.toString("utf8")) as NodeReport);
    } catch {
      // A malformed report is not a node we can count.
    }
  }
  return summarizeFleet(reports, expectedVersion);
}
