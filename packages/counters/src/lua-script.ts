import { createHash } from "node:crypto";
import type { Redis } from "ioredis";

/**
 * A Lua script run by SHA (EVALSHA), falling back to EVAL when the server answers NOSCRIPT
 * (first use, restart, SCRIPT FLUSH, failover to a replica); EVAL also caches it again.
 */
export class LuaScript {
  readonly sha: string;

  constructor(readonly source: string) {
    this.sha = createHash("sha1").update(source).digest("hex");
  }

  async run(redis: Redis, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown> {
    const tail: (string | number)[] = [keys.length, ...keys, ...args];
    try {
      return await redis.evalsha(this.sha, ...(tail as [number, ...(string | number)[]]));
    } catch (e) {
      if (!(e instanceof Error) || !e.message.startsWith("NOSCRIPT")) throw e;
      return await redis.eval(this.source, ...(tail as [number, ...(string | number)[]]));
    }
  }
}
