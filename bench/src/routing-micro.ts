/**
 * Routing choice cost, in process: resolving the targets of a model and choosing one by
 * weight, for a model served by one provider key and for one spread over three weighted
 * keys among a dozen; against handing back a target resolved once (a fixed route).
 */
import type { CompiledKey, ConfigSnapshot } from "@portcullis/core";
import { chooseWeighted, resolveTargets, type ResolvedTarget } from "../../apps/gateway/src/routing/resolve-targets";
import { buildBenchFixture } from "./fixture";
import { median, quantileSorted } from "./stats";

export interface MicroResult {
  name: string;
  /** Median over batches of the time per operation, ns. */
  nsPerOpP50: number;
  nsPerOpP99: number;
}

function wideSnapshot(base: ConfigSnapshot): ConfigSnapshot {
  const s: ConfigSnapshot = structuredClone(base);
  const providerId = Object.keys(s.providers)[0]!;
  const models = ["gpt-4.1-mini", "o3", "o4-mini", "text-embedding-3-small"];
  for (let i = 0; i < 9; i++) {
    s.providerKeys[`pk_other_${i}`] = {
      id: `pk_other_${i}`, name: `other-${i}`, providerId, environment: i % 3 === 0 ? "dev" : "prod", credential: "env://X",
      models: [models[i % models.length]!], deployments: {}, weight: 1, region: null,
    };
  }
  for (const [i, w] of [3, 2, 1].entries()) {
    s.providerKeys[`pk_spread_${i}`] = {
      id: `pk_spread_${i}`, name: `spread-${i}`, providerId, environment: "prod", credential: "env://X",
      models: ["gpt-4o-spread"], deployments: {}, weight: w, region: null,
    };
  }
  return s;
}

function measure(name: string, op: () => ResolvedTarget, batches: number, perBatch: number): MicroResult {
  const perOp: number[] = [];
  let sink = 0;
  for (let b = 0; b < batches; b++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < perBatch; i++) sink += op().providerKey.weight;
    perOp.push(Number(process.hrtime.bigint() - t0) / perBatch);
  }
  if (sink < 0) console.log(sink); // keeps the work observable so it cannot be optimized away
  const sorted = Float64Array.from(perOp).sort();
  return { name, nsPerOpP50: median(perOp), nsPerOpP99: quantileSorted(sorted, 0.99) };
}

export function runRoutingMicro(quick: boolean): MicroResult[] {
  const pepper = "bench-pepper-0123456789abcdef0123456789";
  const { snapshot } = buildBenchFixture(pepper, { openai: 1, stream: 2, fixed: 3 });
  const wide = wideSnapshot(snapshot);
  const key: CompiledKey = Object.values(snapshot.keys)[0]!;
  const fixed = resolveTargets(snapshot, key, "gpt-4o-mini")[0]!;
  const batches = quick ? 60 : 200;
  const perBatch = 2000;
  const cases: Array<[string, () => ResolvedTarget]> = [
    ["fixed target (resolved once)", () => fixed],
    ["resolve + choose, 1 target of 3 keys", () => chooseWeighted(resolveTargets(snapshot, key, "gpt-4o-mini"))],
    ["resolve + choose, 1 target of 15 keys", () => chooseWeighted(resolveTargets(wide, key, "gpt-4o-mini"))],
    ["resolve + choose, 3 weighted of 15 keys", () => chooseWeighted(resolveTargets(wide, key, "gpt-4o-spread"))],
  ];
  for (const [name, op] of cases) measure(name, op, 20, perBatch); // warm-up: let the JIT settle on every case
  return cases.map(([name, op]) => measure(name, op, batches, perBatch));
}
