// Prisma 6.19.3 CLI config, used ONLY by scripts/prisma6.mjs for migrate diff/status/deploy
// (Wasm schema engine through a driver adapter: no native engine download).
//   DATABASE_URL=postgresql://...      -> @prisma/adapter-pg (real Postgres or pglite-socket)
//   DATABASE_URL=pglite:/abs/data/dir  -> in-process PGlite (no server may hold the directory)
//   PRISMA_SHADOW=pglite               -> shadow DB = in-memory PGlite (needed with pglite-socket)
//   no DATABASE_URL                    -> in-memory PGlite (enough for `migrate diff`)
import { defineConfig } from "prisma6/config";
import { PrismaPg } from "@prisma/adapter-pg"; // 7.10.1: 6.19.3's own adapter fails on OID 19 (name)
import { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";
import pg from "pg";

// prisma/orm#27403: schema-engine catalog queries return "char" (18) / name (19): read them as text.
type Field = { dataTypeID: number };
const resultProto = pg.Result.prototype as unknown as { addFields(fields: Field[]): void };
const addFields = resultProto.addFields;
resultProto.addFields = function (this: unknown, fields: Field[]) {
  for (const f of fields) if (f.dataTypeID === 18 || f.dataTypeID === 19) f.dataTypeID = 25;
  return addFields.call(this, fields);
};

// NOT { connectionString }: connectToShadowDb() does new Pool({...config, database}) and pg lets
// connectionString override `database`, so the "shadow" database would be the real one.
function pgConfig(url: string): pg.PoolConfig {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 5432),
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    database: decodeURIComponent(u.pathname.slice(1)),
    idleTimeoutMillis: 50,
  };
}

// pglite-prisma-adapter 0.7.2: parameterless executeRaw must use the simple protocol
// (multi-statement migration scripts), and executeScript must await.
interface PgliteQueryable {
  client: { exec(sql: string): Promise<{ affectedRows?: number }[]> };
  executeRaw(query: { sql: string; args: unknown[] }): Promise<number>;
  executeScript(sql: string): Promise<void>;
  onError(e: unknown): never;
  startTransaction?: (...args: unknown[]) => Promise<object>;
}
function fixPglite<T extends object>(adapter: T): T {
  const q = adapter as unknown as PgliteQueryable;
  const execRaw = q.executeRaw.bind(q);
  q.executeRaw = async (query) => {
    if (query.args.length > 0) return execRaw(query);
    try {
      return (await q.client.exec(query.sql)).reduce((n, r) => n + (r.affectedRows ?? 0), 0);
    } catch (e) {
      return q.onError(e);
    }
  };
  q.executeScript = async (sql) => {
    try {
      await q.client.exec(sql);
    } catch (e) {
      q.onError(e);
    }
  };
  if (q.startTransaction) {
    const start = q.startTransaction.bind(q);
    q.startTransaction = async (...args) => fixPglite(await start(...args));
  }
  return adapter;
}

// @prisma/adapter-pg 7.10.1 executeScript splits the script on every ";", which breaks function
// bodies and DO blocks (and comments containing ";"). Run the script whole instead: one
// simple-protocol query, one implicit transaction, as Prisma's native engine does.
interface PgAdapter {
  underlyingDriver(): pg.Pool;
  executeScript(sql: string): Promise<void>;
  onError(e: unknown): never;
}
function fixPgScripts(factory: PrismaPg): PrismaPg {
  const wrap = <T extends object>(adapter: T): T => {
    const a = adapter as unknown as PgAdapter;
    a.executeScript = async (sql) => {
      try {
        await a.underlyingDriver().query(sql);
      } catch (e) {
        a.onError(e);
      }
    };
    return adapter;
  };
  const connect = factory.connect.bind(factory);
  const connectToShadowDb = factory.connectToShadowDb.bind(factory);
  factory.connect = async () => wrap(await connect());
  factory.connectToShadowDb = async () => wrap(await connectToShadowDb());
  return factory;
}

function pgliteFactory(dataDir?: string): PrismaPGlite {
  const f = new PrismaPGlite(new PGlite({ dataDir: dataDir ?? "memory://" }));
  const connect = f.connect.bind(f);
  f.connect = async () => fixPglite(await connect());
  f.connectToShadowDb = async () => fixPglite(await new PrismaPGlite(new PGlite("memory://")).connect());
  return f;
}

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "../../prisma/.prisma6/schema.prisma", // written by scripts/prisma6.mjs
  migrations: { path: "../../prisma/migrations" },
  async adapter() {
    const url = process.env.DATABASE_URL;
    if (!url) return pgliteFactory();
    if (url.startsWith("pglite:")) return pgliteFactory(url.slice("pglite:".length));
    const f = fixPgScripts(new PrismaPg(pgConfig(url)));
    if (process.env.PRISMA_SHADOW === "pglite") {
      f.connectToShadowDb = pgliteFactory().connectToShadowDb as unknown as PrismaPg["connectToShadowDb"];
    }
    return f;
  },
});
