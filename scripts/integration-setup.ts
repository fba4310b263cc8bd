// vitest globalSetup of the `integration` project: checks that PostgreSQL and Redis are up,
// recreates and migrates the test database, and hands both URLs to the test workers as
// process.env.DATABASE_URL / REDIS_URL (workers are started after this runs and inherit the
// environment) and as inject("databaseUrl") / inject("redisUrl").
//   TEST_DATABASE_URL   admin URL (default postgresql://postgres@127.0.0.1:5432/postgres)
//   TEST_DATABASE_NAME  database to recreate (default portcullis_test)
//   TEST_REDIS_URL      default redis://127.0.0.1:6379
// A missing service fails the run with instructions; integration tests never skip silently.
import { connect } from "node:net";
import type {} from "vitest"; // loads the module that the ProvidedContext augmentation below extends
import type { TestProject } from "vitest/node";
import { recreateDatabase } from "../packages/db/src/admin";
import { migrate } from "../packages/db/src/migrate";
import { redactUrl } from "../packages/db/src/pg-config";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
    redisUrl: string;
  }
}

const pgHint =
  "Start it with `pg_ctlcluster --skip-systemctl-redirect 15 main start`, or point TEST_DATABASE_URL at a server " +
  "where the user may create databases.";
const redisHint =
  'Start it with `redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no`, ' +
  "or point TEST_REDIS_URL at a running Redis.";

export default async function setup(project: TestProject): Promise<void> {
  const adminUrl = process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
  const redisUrl = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
  const name = process.env.TEST_DATABASE_NAME ?? "portcullis_test";

  // Both checks first, so one run reports every missing service.
  const [pgResult, redisResult] = await Promise.allSettled([
    recreateDatabase(adminUrl, name),
    pingRedis(redisUrl),
  ]);
  const problems: string[] = [];
  if (pgResult.status === "rejected") {
    problems.push(`PostgreSQL is unreachable at ${redactUrl(adminUrl)}: ${errorText(pgResult.reason)}\n  ${pgHint}`);
  }
  if (redisResult.status === "rejected") {
    problems.push(`Redis is unreachable at ${redactUrl(redisUrl)}: ${errorText(redisResult.reason)}\n  ${redisHint}`);
  }
  if (pgResult.status === "rejected" || problems.length > 0) {
    throw new Error(`Integration tests need PostgreSQL and Redis.\n${problems.join("\n")}`);
  }

  const databaseUrl = pgResult.value;
  await migrate(databaseUrl);
  process.env.DATABASE_URL = databaseUrl;
  process.env.REDIS_URL = redisUrl;
  project.provide("databaseUrl", databaseUrl);
  project.provide("redisUrl", redisUrl);
}

/** The innermost cause's message: the outer errors only repeat the URL printed already. */
function errorText(e: unknown): string {
  if (e instanceof Error && e.cause !== undefined) return errorText(e.cause);
  if (e instanceof AggregateError && e.errors.length > 0) return e.errors.map(errorText).join("; ");
  return e instanceof Error ? e.message || e.name : String(e);
}

/** PING over raw RESP (AUTH first when the URL carries a password): no client library needed. */
function pingRedis(url: string, timeoutMs = 3000): Promise<void> {
  const u = new URL(url);
  if (u.protocol !== "redis:") throw new Error(`only redis:// URLs are checked here (got ${u.protocol}//)`);
  const commands: string[][] = [];
  if (u.password) {
    const user = decodeURIComponent(u.username);
    commands.push(user ? ["AUTH", user, decodeURIComponent(u.password)] : ["AUTH", decodeURIComponent(u.password)]);
  }
  commands.push(["PING"]);
  const payload = commands.map((c) => `*${c.length}\r\n${c.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join("")}`).join("");

  return new Promise((resolve, reject) => {
    const socket = connect({ host: u.hostname || "127.0.0.1", port: Number(u.port || 6379) });
    let buffer = "";
    const done = (err?: Error) => {
      socket.destroy();
      if (err) reject(err);
      else resolve();
    };
    socket.setTimeout(timeoutMs, () => done(new Error(`no answer within ${timeoutMs} ms`)));
    socket.on("error", (e) => done(e));
    socket.on("connect", () => socket.write(payload));
    socket.on("data", (chunk) => {
      buffer += chunk.toString("utf8");
      const lines = buffer.split("\r\n").filter((l) => l.length > 0);
      const failure = lines.find((l) => l.startsWith("-"));
      if (failure) done(new Error(`Redis answered ${failure.slice(1)}`));
      else if (lines.length >= commands.length) {
        const last = lines[commands.length - 1];
        if (last === "+PONG") done();
        else done(new Error(`unexpected answer to PING: ${last}`));
      }
    });
  });
}
