import type { CircuitSummary } from "@portcullis/config-sync";
import { OutcomeWindow } from "./outcome-window";

/**
 * Per-target circuit breakers (target = provider key + model), shared by the whole
 * process. Closed -> open on N consecutive failures or a high error rate over a
 * window; open -> half-open after the cool-down, when one probe request is let
 * through; the probe's success closes it, its failure re-opens it.
 */
export type CircuitState = "closed" | "open" | "half-open";

export interface CircuitOptions {
  consecutiveFailures: number;
  errorRate: number;
  minRequests: number;
  windowMs: number;
  coolDownMs: number;
}

export const defaultCircuitOptions: CircuitOptions = { consecutiveFailures: 5, errorRate: 0.5, minRequests: 20, windowMs: 30_000, coolDownMs: 30_000 };

interface Circuit {
  state: CircuitState;
  consecutive: number;
  openedAt: number;
  probing: boolean;
  window: OutcomeWindow;
  latencyMs: number | undefined;
  lastError: string | undefined;
}

export interface CircuitView {
  target: string;
  state: CircuitState;
  consecutiveFailures: number;
  errorRate: number;
  requests: number;
  latencyMs: number | null;
  openedAt: string | null;
  lastError: string | null;
}

export class CircuitRegistry {
  private readonly circuits = new Map<string, Circuit>();
  constructor(private readonly now: () => number, private readonly opts: CircuitOptions = defaultCircuitOptions) {}

  private get(target: string): Circuit {
    let c = this.circuits.get(target);
    if (!c) this.circuits.set(target, (c = { state: "closed", consecutive: 0, openedAt: 0, probing: false, window: new OutcomeWindow(), latencyMs: undefined, lastError: undefined }));
    return c;
  }

  private trim(c: Circuit): void {
    c.window.trim(this.now() - this.opts.windowMs);
  }

  /** Planning view: may this target take traffic now (without claiming the half-open probe)? */
  healthy(target: string): boolean {
    const c = this.circuits.get(target);
    if (!c || c.state === "closed") return true;
    if (c.state === "open") return this.now() - c.openedAt >= this.opts.coolDownMs;
    return !c.probing;
  }

  /** Claims the right to send a request: false while open, or while a half-open probe is in flight. */
  acquire(target: string): boolean {
    const c = this.get(target);
    if (c.state === "closed") return true;
    if (c.state === "open") {
      if (this.now() - c.openedAt < this.opts.coolDownMs) return false;
      c.state = "half-open";
      c.probing = false;
    }
    if (c.probing) return false;
    c.probing = true;
    return true;
  }

  success(target: string, latencyMs: number): void {
    const c = this.get(target);
    c.latencyMs = c.latencyMs === undefined ? latencyMs : c.latencyMs * 0.8 + latencyMs * 0.2;
    c.consecutive = 0;
    c.window.push(this.now(), true);
    this.trim(c);
    if (c.state !== "closed") {
      c.state = "closed";
      c.probing = false;
    }
  }

  failure(target: string, reason: string): void {
    const c = this.get(target);
    c.consecutive++;
    c.lastError = reason;
    c.window.push(this.now(), false);
    this.trim(c);
    if (c.state === "half-open") {
      c.state = "open";
      c.openedAt = this.now();
      c.probing = false;
      return;
    }
    const rateTrip = c.window.size >= this.opts.minRequests && c.window.failures / c.window.size >= this.opts.errorRate;
    if (c.state === "closed" && (c.consecutive >= this.opts.consecutiveFailures || rateTrip)) {
      c.state = "open";
      c.openedAt = this.now();
    }
  }

  /** Releases a claimed probe that ended without a verdict (e.g. a client error). */
  release(target: string): void {
    const c = this.circuits.get(target);
    if (c?.state === "half-open") c.probing = false;
  }

  /** Forgets every circuit (operator action; tests). */
  reset(): void {
    this.circuits.clear();
  }

  latency(target: string): number | undefined {
    return this.circuits.get(target)?.latencyMs;
  }

  /** For the fleet status: counts, and the targets not closed. */
  summary(): CircuitSummary {
    const views = this.view();
    const notClosed = views.flatMap((v) => (v.state === "closed" ? [] : [{ target: v.target, state: v.state, lastError: v.lastError }]));
    return { tracked: views.length, open: notClosed.filter((c) => c.state === "open").length, halfOpen: notClosed.filter((c) => c.state === "half-open").length, notClosed };
  }

  view(): CircuitView[] {
    return [...this.circuits.entries()].map(([target, c]) => {
      this.trim(c);
      const state = c.state === "open" && this.now() - c.openedAt >= this.opts.coolDownMs ? "half-open" : c.state;
      return {
        target, state, consecutiveFailures: c.consecutive, requests: c.window.size,
        errorRate: c.window.size ? c.window.failures / c.window.size : 0, latencyMs: c.latencyMs === undefined ? null : Math.round(c.latencyMs * 10) / 10,
        openedAt: c.state === "closed" ? null : new Date(c.openedAt).toISOString(), lastError: c.lastError ?? null,
      };
    });
  }
}
