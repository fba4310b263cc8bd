/**
 * `pnpm sim`: every upstream simulator on a fixed port, until Ctrl-C.
 * Ports start at SIM_BASE_PORT (default 4010) in the order printed.
 */
import { startAnthropicSimulator } from "./anthropic";
import { startAzureOpenAiSimulator } from "./azure-openai";
import { startBedrockSimulator } from "./bedrock";
import { startGeminiSimulator } from "./gemini";
import { startOpenAiSimulator } from "./openai";
import { startVertexSimulator } from "./vertex";

interface Running {
  name: string;
  url: string;
  hint: string;
  close(): Promise<void>;
}

async function main(): Promise<void> {
  const base = Number(process.env["SIM_BASE_PORT"] ?? 4010);
  const apiKey = process.env["SIM_API_KEY"];
  const common = apiKey ? { apiKey } : {};
  const sims: Array<[string, string, (port: number) => Promise<{ url: string; close(): Promise<void> }>]> = [
    ["openai", "baseURL {url}/v1", (port) => startOpenAiSimulator({ port, ...common })],
    ["azure-openai", "endpoint {url}, header api-key", (port) => startAzureOpenAiSimulator({ port, ...common })],
    ["anthropic", "baseURL {url}", (port) => startAnthropicSimulator({ port, ...common })],
    ["bedrock", "endpoint {url}", (port) => startBedrockSimulator({ port })],
    ["gemini", "endpoint {url}", (port) => startGeminiSimulator({ port })],
    ["vertex", "endpoint {url}", (port) => startVertexSimulator({ port })],
  ];
  const running: Running[] = [];
  for (const [i, [name, hint, start]] of sims.entries()) {
    const handle = await start(base + i);
    running.push({ name, url: handle.url, hint: hint.replace("{url}", handle.url), close: () => handle.close() });
  }
  for (const r of running) console.log(`${r.name.padEnd(13)} ${r.url.padEnd(24)} ${r.hint}`);
  console.log("fault injection: header x-sim-fault, e.g. 'status=429,retry-after=2' or 'disconnect=3'");
  const stop = () => {
    void Promise.all(running.map((r) => r.close())).then(() => process.exit(0));
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
