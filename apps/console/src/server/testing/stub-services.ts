import type { ConsoleServices } from "../console-services";

/**
 * Test helper: console services that do nothing outside the process. Nothing is published,
 * there is no fleet, secrets resolve to "", every provider probe succeeds and credentials
 * are stored as references only. Override what a test needs (its pepper, a spy...).
 */
export function stubServices(overrides: Partial<ConsoleServices> = {}): ConsoleServices {
  return {
    keyPepper: "test-pepper-".padEnd(40, "t"),
    encryptionKey: undefined,
    gatewayUrl: undefined,
    publishConfigChange: async () => {},
    readFleet: async () => null,
    resolveSecret: async () => "",
    probeProvider: async () => ({ ok: true, message: "" }),
    ...overrides,
  };
}
