import { hostname } from "node:os";
import { createMemoryBus, createRedisBus } from "@portcullis/config-sync";
import { readGatewayEnv } from "./env";
import { startGateway } from "./start";

/** Standalone gateway process (distributed setup; the embedded launcher uses startGateway directly). */
const env = readGatewayEnv();
const bus = env.REDIS_URL ? createRedisBus(env.REDIS_URL) : createMemoryBus();
const gateway = await startGateway({
  port: env.GATEWAY_PORT,
  host: env.GATEWAY_HOST,
  nodeName: env.NODE_NAME ?? hostname(),
  maxBodyBytes: env.MAX_BODY_BYTES,
  bus,
});
console.log(`gateway listening on ${gateway.url}`);

const shutdown = async () => {
  await gateway.close();
  await bus.close();
  process.exit(0);
};
process.once("SIGINT", shutdown);
process.once("SIGTERM", shutdown);
