import "server-only";
import { createConfigPublisher, parseConfigSigningKey, parseKeySetting, type ConfigPublisher } from "@portcullis/config-sync";
import { getEnv } from "./env";
import { busMode, getBus, getPrisma } from "./services";

declare global {
  var __portcullisConfigPublisher: ConfigPublisher | null | undefined;
}

/**
 * One publisher for the console's lifetime: it remembers the snapshot it last published, so
 * the next change's delta is computed without reloading the previous one. Null without a
 * signing key.
 */
function publisher(): ConfigPublisher | null {
  if (globalThis.__portcullisConfigPublisher === undefined) {
    const env = getEnv();
    const text = env.PORTCULLIS_CONFIG_SIGNING_KEY;
    globalThis.__portcullisConfigPublisher = text
      ? createConfigPublisher({
          prisma: getPrisma(), bus: busMode() === "none" ? undefined : getBus(), namespace: env.PORTCULLIS_NAMESPACE, signingKey: parseKeySetting("PORTCULLIS_CONFIG_SIGNING_KEY", () => parseConfigSigningKey(text)),
        })
      : null;
  }
  return globalThis.__portcullisConfigPublisher;
}

/**
 * Tells the gateways that configuration `version` is committed: compiles, signs and stores
 * the snapshot, then announces it with its delta on the bus. Without a signing key
 * (PORTCULLIS_CONFIG_SIGNING_KEY) nothing is announced, since gateways refuse unsigned
 * configuration: they compile the committed version from PostgreSQL after their grace
 * period. A failure is logged, never thrown: the change is committed and must not look failed.
 */
export async function publishConfigChange(version: bigint): Promise<void> {
  try {
    const p = publisher();
    if (!p) {
      console.warn(`[config] v${version} committed but not published: PORTCULLIS_CONFIG_SIGNING_KEY is not set; gateways compile it from PostgreSQL after their grace period`);
      return;
    }
    const result = await p.publish();
    if (result.busError) console.warn(`[config] v${result.version} stored but not announced: ${result.busError}`);
  } catch (e) {
    console.warn(`[config] could not publish version ${version}: ${e instanceof Error ? e.message : String(e)}`);
  }
}
