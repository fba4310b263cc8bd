/**
 * Caches access tokens per key until shortly before they expire. I/O-free:
 * the clock and the fetcher are passed in. Concurrent callers for the same
 * key share one in-flight fetch, and a failed fetch is not cached.
 */
import type { AccessToken } from "./auth";

export type TokenFetcher = (key: string) => Promise<AccessToken>;

export interface TokenCacheOptions {
  fetcher: TokenFetcher;
  clock: () => Date;
  /** Refresh this many seconds before expiry (default 300, as Google's client libraries do). */
  refreshBeforeSeconds?: number;
}

export class TokenCache {
  private readonly tokens = new Map<string, AccessToken>();
  private readonly inflight = new Map<string, Promise<AccessToken>>();
  private readonly fetcher: TokenFetcher;
  private readonly clock: () => Date;
  private readonly marginMs: number;

  constructor(opts: TokenCacheOptions) {
    this.fetcher = opts.fetcher;
    this.clock = opts.clock;
    this.marginMs = (opts.refreshBeforeSeconds ?? 300) * 1000;
  }

  async get(key: string): Promise<string> {
    const cached = this.tokens.get(key);
    if (cached && cached.expiresAt.getTime() - this.marginMs > this.clock().getTime()) return cached.accessToken;
    let pending = this.inflight.get(key);
    if (!pending) {
      pending = this.fetcher(key).finally(() => this.inflight.delete(key));
      this.inflight.set(key, pending);
    }
    const token = await pending;
    this.tokens.set(key, token);
    return token.accessToken;
  }

  /** Drops a token the upstream rejected (401), so the next get fetches anew. */
  invalidate(key: string): void {
    this.tokens.delete(key);
  }
}
