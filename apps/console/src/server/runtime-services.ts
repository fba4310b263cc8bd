import "server-only";
import { readFleetStatus } from "@portcullis/config-sync";
import { createSecretResolver } from "@portcullis/secrets";
import type { ConsoleServices } from "./console-services";
import { getEnv } from "./env";
import { probeProvider } from "./provider-probe";
import { publishConfigChange } from "./publish";
import { busMode, getBus } from "./services";

let services: ConsoleServices | undefined;

/** The console's services for this process, from its environment. */
export function getConsoleServices(): ConsoleServices {
  if (!services) {
    const env = getEnv();
    // A short TTL: "test connection" right after a rotation should see the new value.
    const secrets = createSecretResolver({ encryptionKey: env.PORTCULLIS_ENCRYPTION_KEY, ttlMs: 5_000 });
    services = {
      keyPepper: env.PORTCULLIS_KEY_PEPPER,
      encryptionKey: env.PORTCULLIS_ENCRYPTION_KEY,
      gatewayUrl: env.PORTCULLIS_GATEWAY_URL?.replace(/\/+$/, ""),
      publishConfigChange,
      resolveSecret: (ref) => secrets.resolve(ref),
      probeProvider: (input) => probeProvider(input),
      async readFleet(expectedVersion) {
        if (busMode() === "none") return null;
        return readFleetStatus(getBus(), expectedVersion, env.PORTCULLIS_NAMESPACE);
      },
    };
  }
  return services;
}
