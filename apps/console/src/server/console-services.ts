import type { FleetStatus } from "@portcullis/config-sync";
import type { ProbeInput, ProbeResult } from "./provider-probe";

/**
 * What procedures need beyond the database, built once at boot and handed in through the
 * context (tests pass fakes): secrets for hashing and encrypting, the gateway's address,
 * publishing after a commit, and the fleet's reports.
 */
export interface ConsoleServices {
  /** HMAC pepper of virtual keys and admin API tokens. */
  keyPepper: string;
  /** AES-256-GCM key for provider credentials stored encrypted; undefined = references only. */
  encryptionKey: string | undefined;
  /** The gateway's base URL, when known (shown to users, used by "test connection"). */
  gatewayUrl: string | undefined;
  publishConfigChange(version: bigint): Promise<void>;
  /** Resolves a provider credential (reference or `encrypted:` envelope) in the console's process; throws naming the reference. */
  resolveSecret(ref: string): Promise<string>;
  /** "Test connection": asks the upstream with the resolved credential. */
  probeProvider(input: ProbeInput): Promise<ProbeResult>;
  /** Gateway nodes' reports from the bus, or null when there is no bus to read. */
  readFleet(expectedVersion: bigint): Promise<FleetStatus | null>;
}
