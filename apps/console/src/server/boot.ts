import "server-only";
import { getEnv } from "./env";
import { busMode, getBus, getPrisma } from "./services";

/**
 * Start-up: parse the environment (a bad configuration stops the server here, with a
 * message naming every problem, instead of failing on the first request) and open the
 * connections early so /readyz turns green as soon as the dependencies answer.
 */
export function bootConsole(): void {
  getEnv();
  getPrisma();
  if (busMode() === "redis") getBus();
}
