/**
 * SQLSTATE of a PostgreSQL error however deeply Prisma / the driver adapter wrapped it
 * (PrismaClientKnownRequestError.meta, DriverAdapterError.cause, pg's DatabaseError.code).
 */
export function pgErrorCode(e: unknown, depth = 0): string | undefined {
  if (e === null || typeof e !== "object" || depth > 5) return undefined;
  const o = e as Record<string, unknown>;
  for (const key of ["originalCode", "code"]) {
    const v = o[key];
    if (typeof v === "string" && /^[0-9A-Z]{5}$/.test(v) && !v.startsWith("P")) return v;
  }
  for (const key of ["cause", "meta", "driverAdapterError"]) {
    const found = pgErrorCode(o[key], depth + 1);
    if (found) return found;
  }
  return undefined;
}

/**
 * True for errors caused by the data itself (SQLSTATE class 22 data exception, 23 integrity
 * violation): retrying the same rows cannot help, so the batch is split to find the bad one.
 * Everything else (connection loss, serialization failure, deadlock, shutdown) is retried, and
 * so is a unique violation (23505): it means another worker stored the same event meanwhile,
 * which the retry then skips.
 */
export function isDataError(e: unknown): boolean {
  const code = pgErrorCode(e);
  return code !== undefined && code !== "23505" && (code.startsWith("22") || code.startsWith("23"));
}
