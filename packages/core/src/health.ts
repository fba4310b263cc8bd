/** Health reporting shared by every process (`/healthz`, `/readyz`). */

export type DependencyState = "up" | "down" | "embedded" | "degraded";

export interface DependencyStatus {
  name: string;
  state: DependencyState;
  /** Whether the process can serve while this dependency is in this state. */
  required: boolean;
  detail?: string;
}

export interface Readiness {
  ready: boolean;
  /** `normal`, or `degraded` when serving without a dependency in a documented mode. */
  mode: "normal" | "degraded";
  dependencies: DependencyStatus[];
}

export function summarizeReadiness(deps: DependencyStatus[]): Readiness {
  const blocking = deps.some((d) => d.required && d.state === "down");
  const degraded = deps.some((d) => d.state === "down" || d.state === "degraded");
  return { ready: !blocking, mode: degraded ? "degraded" : "normal", dependencies: deps };
}

/** Runs a probe with a deadline so one hung dependency cannot hang `/readyz`. */
export async function probe(
  name: string,
  required: boolean,
  check: () => Promise<DependencyState | { state: DependencyState; detail?: string }>,
  timeoutMs = 1000,
): Promise<DependencyStatus> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const result = await Promise.race([
      check(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    const r = typeof result === "string" ? { state: result } : result;
    return { name, required, ...r };
  } catch (e) {
    return { name, required, state: "down", detail: e instanceof Error ? e.message : String(e) };
  } finally {
    if (timer) clearTimeout(timer);
  }
}
