import { channels, createRedisBus } from "@portcullis/config-sync";
import type { CliEnv } from "./env";

/**
 * Announces a new configuration version. With Redis, gateways hear it at once; without
 * Redis (embedded mode) they poll the database version, so there is nothing to send.
 */
export async function publishConfigVersion(env: CliEnv, version: bigint): Promise<void> {
  if (!env.REDIS_URL) return;
  const bus = createRedisBus(env.REDIS_URL);
  try {
    await bus.publish(channels.config, JSON.stringify({ version: version.toString() }));
  } catch (e) {
    console.error(`warning: configuration committed (v${version}) but not announced on Redis: ${(e as Error).message}; gateways catch up by polling`);
  } finally {
    await bus.close();
  }
}
