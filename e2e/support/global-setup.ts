import { startOpenAiSimulator } from "../../packages/testkit/src/openai/index";
import { e2eIdp, e2eUpstream } from "./e2e-env";
import { startTestIdp } from "./idp";

/**
 * Runs after Playwright started `pnpm start` (its webServer) and before the specs: a real
 * OpenID provider for the SSO specs (the console reads its issuer and client from the
 * webServer env in playwright.config.ts) and an OpenAI simulator the specs register as a
 * provider. Both stop when the run ends.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const idp = await startTestIdp({
    port: e2eIdp.port,
    clientId: e2eIdp.clientId,
    clientSecret: e2eIdp.clientSecret,
    redirectUris: [e2eIdp.redirectUri],
  });
  const upstream = await startOpenAiSimulator({ port: e2eUpstream.port, host: "127.0.0.1", apiKey: e2eUpstream.apiKey });
  return async () => {
    await Promise.all([idp.close(), upstream.close()]);
  };
}
