import { createMemoryBus, createRedisBus } from "@portcullis/config-sync";
import { createPrisma } from "@portcullis/db";
import { createSecretResolver } from "@portcullis/secrets";
import { resolveAuditSigningKey } from "./audit/index";
import { readWorkerEnv } from "./env";
import { createWorkerJobs } from "./jobs";
import { startWorker } from "./start";

/** Standalone worker process (distributed setup; the embedded launcher uses startWorker directly). */
const env = readWorkerEnv();
const prisma = createPrisma(env.DATABASE_URL, { max: 5 });
const bus = env.REDIS_URL ? createRedisBus(env.REDIS_URL) : createMemoryBus();
const secrets = createSecretResolver({ encryptionKey: env.PORTCULLIS_ENCRYPTION_KEY });
const jobs = createWorkerJobs({
  prisma,
  redisUrl: env.REDIS_URL,
  signingKey: env.PORTCULLIS_AUDIT_SIGNING_KEY ? resolveAuditSigningKey({ configured: env.PORTCULLIS_AUDIT_SIGNING_KEY }) : undefined,
  resolveSecret: (ref) => secrets.resolve(ref),
});
const worker = await startWorker({
  port: env.WORKER_PORT,
  host: env.WORKER_HOST,
  bus,
  db: { ping: async () => void (await prisma.$queryRaw`SELECT 1`) },
  jobs,
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
