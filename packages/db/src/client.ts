import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/prisma/client";
import { pgConfigFromUrl } from "./pg-config";

export interface CreatePrismaOptions {
  /**
   * Pool size. Default 10 for PostgreSQL. For the embedded PGlite socket server use 1: all its
   * connections share one session and run one at a time (see embedded.ts).
   */
  max?: number;
}

/** One PrismaClient over @prisma/adapter-pg; create it once per process and pass it around. */
export function createPrisma(url: string, opts: CreatePrismaOptions = {}): PrismaClient {
  const adapter = new PrismaPg({ ...pgConfigFromUrl(url), max: opts.max ?? 10 });
  return new PrismaClient({ adapter });
}
