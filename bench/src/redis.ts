import { Redis } from "ioredis";

/** True when a Redis answers PING within a second (the Redis variant is skipped otherwise). */
export async function redisAnswers(url: string): Promise<boolean> {
  const client = new Redis(url, { lazyConnect: true, connectTimeout: 1000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on("error", () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === "PONG";
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

/** Deletes the run's counter keys (its own unique prefix only); bounded by count. */
export async function deleteRedisPrefix(url: string, prefix: string): Promise<number> {
  const client = new Redis(url, { maxRetriesPerRequest: 1 });
  client.on("error", () => undefined);
  let deleted = 0;
  try {
    let cursor = "0";
    for (let i = 0; i < 10_000; i++) {
      const [next, keys] = await client.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 1000);
      if (keys.length) deleted += await client.del(...keys);
      cursor = next;
      if (cursor === "0") break;
    }
  } finally {
    client.disconnect();
  }
  return deleted;
}
