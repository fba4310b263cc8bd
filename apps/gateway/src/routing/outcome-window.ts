/**
 * The outcomes (time, ok) of a target's recent requests, oldest first, with a running
 * failure count. A ring buffer: at thousands of requests per second a window of 30 s
 * holds 100,000+ entries, and `Array.prototype.shift` on an array that large copies the
 * whole array on every call (tens of µs per request).
 */
export class OutcomeWindow {
  private at = new Float64Array(64);
  private ok = new Uint8Array(64);
  private head = 0;
  private count = 0;
  private failed = 0;

  /** Requests in the window. */
  get size(): number {
    return this.count;
  }

  /** Failed requests in the window. */
  get failures(): number {
    return this.failed;
  }

  push(at: number, ok: boolean): void {
    if (this.count === this.at.length) this.grow();
    const i = (this.head + this.count) % this.at.length;
    this.at[i] = at;
    this.ok[i] = ok ? 1 : 0;
    this.count++;
    if (!ok) this.failed++;
  }

  /** Drops the outcomes older than `from` (those at `from` or later stay). */
  trim(from: number): void {
    while (this.count > 0 && this.at[this.head]! < from) {
      if (this.ok[this.head] === 0) this.failed--;
      this.head = (this.head + 1) % this.at.length;
      this.count--;
    }
  }

  private grow(): void {
    const at = new Float64Array(this.at.length * 2);
    const ok = new Uint8Array(this.at.length * 2);
    for (let k = 0; k < this.count; k++) {
      const i = (this.head + k) % this.at.length;
      at[k] = this.at[i]!;
      ok[k] = this.ok[i]!;
    }
    this.at = at;
    this.ok = ok;
    this.head = 0;
  }
}
