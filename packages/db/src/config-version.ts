import type { Prisma } from "./generated/prisma/client";

/**
 * Bumps the configuration version inside the caller's transaction and returns the new value.
 * The row lock it takes also orders concurrent configuration changes: the version a change gets
 * is the order in which gateways must apply it.
 */
export async function bumpConfigVersion(tx: Prisma.TransactionClient): Promise<bigint> {
  const rows = await tx.$queryRaw<{ version: bigint }[]>`
    UPDATE config_state SET version = version + 1, updated_at = now() WHERE id = 1 RETURNING version`;
  const row = rows[0];
  if (!row) throw new Error("config_state has no row: run the database migrations");
  return BigInt(row.version);
}

/** The current configuration version (no lock). */
export async function readConfigVersion(db: Prisma.TransactionClient): Promise<bigint> {
  const state = await db.configState.findUnique({ where: { id: 1 } });
  if (!state) throw new Error("config_state has no row: run the database migrations");
  return state.version;
}
