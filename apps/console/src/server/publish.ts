import "server-only";
import type { KeyObject } from "node:crypto";
import { channels, parseConfigSigningKey, publishConfig } from "@portcullis/config-sync";
import { getEnv } from "./env";
import { busMode, getBus, getPrisma } from "./services";

let signingKey: KeyObject | null | undefined;

function configSigningKey(): KeyObject | null {
  if (signingKey === undefined) {
    const text = getEnv().PORTCULLIS_CONFIG_SIGNING_KEY;
    signingKey = text ? parseConfigSigningKey(text) : null;
  }
  return signingKey;
}

/**
 * Tells the gateways that configuration `version` is committed. With a signing key
 * (PORTCULLIS_CONFIG_SIGNING_KEY) it publishes the signed snapshot and its announcement;
 * without one it announces `{version}` on the config channel. Gateways that miss either
 * still catch up, because they poll the database version (embedded: every 500 ms). A
 * failure is logged, never thrown: the change is committed and must not look failed.
 */
export async function publishConfigChange(version: bigint): Promise<void> {
  const mode = busMode();
  try {
    const key = configSigningKey();
    if (key) {
      const result = await publishConfig({ prisma: getPrisma(), bus: mode === "none" ? undefined : getBus(), signingKey: key });
      if (result.busError) console.warn(`[config] v${result.version} stored but not announced: ${result.busError}`);
      return;
    }
    if (mode === "none") return;
    await getBus().publish(channels.config, JSON.stringify({ version: version.toString() }));
  } catch (e) {
    console.warn(`[config] could not publish version ${version}: ${e instanceof Error ? e.message : String(e)}`);
  }
}
