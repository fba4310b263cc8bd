import { createMemoryBus, createRedisBus } from "@portcullis/config-sync";
import { createPrisma } from "@portcullis/db";
import { readWorkerEnv } from "./env";
import { startWorker } from "./start";

/** Standalone worker process (distributed setup; the embedded launcher uses startWorker directly). */
const env = readWorkerEnv();
const prisma = createPrisma(env.DATABASE_URL, { max: 5 });
const bus = env.REDIS_URL ? createRedisBus(env.REDIS_URL) : createMemoryBus();
const worker = await startWorker({
  port: env.WORKER_PORT,
  host: env.WORKER_HOST,
  bus,
  db: { ping: async () => void (await prisma.$queryRaw`SELECT 1`) },
});
console.log(`worker listening on ${worker.url}`);

const shutdown = async () => {
  await worker.close();
  await bus.close();
  await prisma.$disconnect();
  process.exit(0);
};
process.once("SIGINT", shutdown);
process.once("SIGTERM", shutdown);
