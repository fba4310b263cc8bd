import { createRedisBus, parseConfigSigningKey, publishConfig } from "@portcullis/config-sync";
import type { PrismaClient } from "@portcullis/db";
import type { CliEnv } from "./env";
import type { InstanceSecrets } from "./instance-secrets";

export interface PublishContext {
  prisma: PrismaClient;
  secrets: InstanceSecrets;
}

/**
 * After a committed change: compiles, signs and stores the snapshot in config_snapshots, then
 * (with REDIS_URL) announces it so gateways apply it at once. Without Redis (embedded mode)
 * the stored row is what the running gateway's poller loads. The change is committed either
 * way, so problems here are warnings, not failures.
 */
export async function publishConfigVersion(env: CliEnv, version: bigint, ctx: PublishContext): Promise<void> {
  if (!ctx.secrets.configSigningKey) {
    console.error(
      `warning: configuration committed (v${version}) but not published: PORTCULLIS_CONFIG_SIGNING_KEY is not set; ` +
        "gateways that read PostgreSQL compile it themselves after their grace period",
    );
    return;
  }
  // Storing a snapshot of many megabytes can take longer than the default 2 s command timeout.
  const bus = env.REDIS_URL ? createRedisBus(env.REDIS_URL, { commandTimeoutMs: 30_000 }) : undefined;
  try {
    const result = await publishConfig({ prisma: ctx.prisma, bus, namespace: env.PORTCULLIS_NAMESPACE, signingKey: parseConfigSigningKey(ctx.secrets.configSigningKey) });
    const delta = result.deltaBytes === null ? "full snapshot" : `delta ${result.deltaBytes} bytes`;
    console.log(`published: configuration v${result.version} (sha256 ${result.hash.slice(0, 12)}…, ${bus ? delta : "stored for polling gateways"})`);
    if (bus && result.busError) {
      const what = result.announced ? "announced on Redis" : "stored in PostgreSQL but not announced on Redis";
      console.error(`warning: configuration v${result.version} ${what}: ${result.busError}; gateways catch up from PostgreSQL`);
    }
  } catch (e) {
    console.error(`warning: configuration committed (v${version}) but not published: ${(e as Error).message}; gateways catch up by polling PostgreSQL`);
  } finally {
    await bus?.close();
  }
}
