import type pg from "pg";

/**
 * pg connection settings from a postgresql:// URL, as discrete fields. Deliberately NOT
 * { connectionString }: pg lets connectionString override `database`, which breaks anything that
 * spreads this config to reach another database (the Prisma shadow database, recreateDatabase).
 * Understood query parameters: sslmode (disable | require | verify-ca | verify-full),
 * application_name, connect_timeout (seconds).
 */
export function pgConfigFromUrl(url: string): pg.ClientConfig {
  const u = new URL(url);
  if (u.protocol !== "postgresql:" && u.protocol !== "postgres:") {
    throw new Error(`not a postgresql:// URL (got ${u.protocol}//)`);
  }
  const config: pg.ClientConfig = {
    host: decodeURIComponent(u.hostname) || "127.0.0.1",
    port: Number(u.port || 5432),
    user: decodeURIComponent(u.username) || "postgres",
    database: decodeURIComponent(u.pathname.slice(1)) || "postgres",
  };
  if (u.password) config.password = decodeURIComponent(u.password);
  const sslmode = u.searchParams.get("sslmode");
  if (sslmode === "require" || sslmode === "prefer") config.ssl = { rejectUnauthorized: false };
  else if (sslmode === "verify-ca" || sslmode === "verify-full") config.ssl = { rejectUnauthorized: true };
  const app = u.searchParams.get("application_name");
  if (app) config.application_name = app;
  const timeout = Number(u.searchParams.get("connect_timeout"));
  if (timeout > 0) config.connectionTimeoutMillis = timeout * 1000;
  return config;
}

/** The same server URL pointing at another database (credentials and parameters kept). */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(database)}`;
  return u.toString();
}

/** The URL without its password, safe for logs and error messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "<invalid database URL>";
  }
}
