/**
 * An in-memory sorted set of (id, time): the in-process counterpart of a Redis ZSET as the
 * counters use it. Times usually arrive in order, so `add` is an append; the head advances
 * on trim and the arrays are compacted now and then, keeping trims amortised O(1).
 */
export class TimeLog {
  private ts: number[] = [];
  private ids: string[] = [];
  private head = 0;
  private readonly at = new Map<string, number>();

  get size(): number {
    return this.ts.length - this.head;
  }

  has(id: string): boolean {
    return this.at.has(id);
  }

  /** Adds or moves `id` to time `t` (ZADD semantics); equal times keep insertion order. */
  add(id: string, t: number): void {
    if (this.at.has(id)) this.remove(id);
    this.at.set(id, t);
    const last = this.ts.length - 1;
    if (last < this.head || this.ts[last]! <= t) {
      this.ts.push(t);
      this.ids.push(id);
      return;
    }
    const i = this.upperBound(t);
    this.ts.splice(i, 0, t);
    this.ids.splice(i, 0, id);
  }

  remove(id: string): boolean {
    const t = this.at.get(id);
    if (t === undefined) return false;
    this.at.delete(id);
    for (let i = this.lowerBound(t); i < this.ts.length; i++) {
      if (this.ids[i] === id) {
        this.ts.splice(i, 1);
        this.ids.splice(i, 1);
        return true;
      }
    }
    return true;
  }

  /** Removes every entry with time <= floor, oldest first, calling `onRemoved` for each. */
  trimTo(floor: number, onRemoved?: (id: string) => void): void {
    while (this.head < this.ts.length && this.ts[this.head]! <= floor) {
      const id = this.ids[this.head]!;
      this.at.delete(id);
      this.head++;
      onRemoved?.(id);
    }
    if (this.head > 1024 && this.head * 2 > this.ts.length) {
      this.ts = this.ts.slice(this.head);
      this.ids = this.ids.slice(this.head);
      this.head = 0;
    }
  }

  /** Time of the i-th oldest entry (0-based). */
  timeAt(i: number): number | undefined {
    return this.ts[this.head + i];
  }

  idAt(i: number): string | undefined {
    return this.ids[this.head + i];
  }

  private lowerBound(t: number): number {
    let lo = this.head;
    let hi = this.ts.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.ts[mid]! < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private upperBound(t: number): number {
    let lo = this.head;
    let hi = this.ts.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.ts[mid]! <= t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
