import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrisma } from "./client";
import { bumpConfigVersion, readConfigVersion } from "./config-version";
import type { PrismaClient } from "./generated/prisma/client";

let prisma: PrismaClient;
beforeAll(() => {
  prisma = createPrisma(process.env.DATABASE_URL ?? "", { max: 4 });
});
afterAll(async () => {
  await prisma?.$disconnect();
});

describe("bumpConfigVersion", () => {
  it("increments by one inside the transaction and returns the new version", async () => {
    const start = await readConfigVersion(prisma);
    const v = await prisma.$transaction((tx) => bumpConfigVersion(tx));
    expect(v).toBe(start + 1n);
    expect(await readConfigVersion(prisma)).toBe(start + 1n);
  });

  it("is undone with the transaction", async () => {
    const start = await readConfigVersion(prisma);
    await expect(
      prisma.$transaction(async (tx) => {
        await bumpConfigVersion(tx);
        throw new Error("abort");
      }),
    ).rejects.toThrow("abort");
    expect(await readConfigVersion(prisma)).toBe(start);
  });

  it("gives concurrent transactions distinct consecutive versions", async () => {
    const start = await readConfigVersion(prisma);
    const versions = await Promise.all(Array.from({ length: 10 }, () => prisma.$transaction((tx) => bumpConfigVersion(tx))));
    expect([...versions].sort((a, b) => (a < b ? -1 : 1))).toEqual(Array.from({ length: 10 }, (_, i) => start + BigInt(i + 1)));
  });
});
