import { displayPrefix, generateVirtualKey, hashVirtualKey } from "@portcullis/core";
import { rotateVirtualKey, setVirtualKeyStatus, type KeyActor, type PrismaClient } from "@portcullis/db";
import { userInfo } from "node:os";
import { apiTargetOf, runWithApi, type ApiFlags } from "../api-client";
import { openDatabase } from "../database";
import { readCliEnv } from "../env";
import { loadInstanceSecrets } from "../instance-secrets";
import { publishConfigVersion } from "../publish";
import { keysListViaApi, keysRotateViaApi, keysStatusViaApi } from "./keys-api";

const actor = (): KeyActor => ({ actorType: "system", actorLabel: `cli:${userInfo().username}` });

/** `30m`, `24h`, `7d`, or seconds. */
export function parseDuration(text: string): number {
  const m = /^(\d+)\s*([smhd]?)$/.exec(text.trim());
  if (!m) throw new Error(`invalid duration "${text}": use e.g. 90s, 30m, 24h or 7d`);
  const n = Number(m[1]);
  return n * ({ "": 1, s: 1, m: 60, h: 3600, d: 86_400 } as const)[m[2] as "" | "s" | "m" | "h" | "d"];
}

/** A key by id, or the current (newest, not rotated away) key of that name. */
async function findKey(prisma: PrismaClient, ref: string) {
  const key = ref.startsWith("vk_")
    ? await prisma.virtualKey.findUnique({ where: { id: ref } })
    : await prisma.virtualKey.findFirst({ where: { name: ref, rotatedTo: { none: {} } }, orderBy: { createdAt: "desc" } });
  if (!key) throw new Error(`no virtual key "${ref}"`);
  return key;
}

export async function keysListCommand(flags: ApiFlags = {}): Promise<number> {
  const target = apiTargetOf(flags, readCliEnv());
  if (target) return runWithApi(target, keysListViaApi);
  const db = await openDatabase(readCliEnv());
  try {
    const keys = await db.prisma.virtualKey.findMany({ orderBy: [{ name: "asc" }, { createdAt: "asc" }], include: { team: true } });
    for (const k of keys) {
      const grace = k.graceExpiresAt ? ` grace until ${k.graceExpiresAt.toISOString()}` : "";
      console.log(`${k.id}  ${k.prefix}…  ${k.status.padEnd(8)} ${k.environment.padEnd(7)} ${k.name}${k.team ? ` (team ${k.team.slug})` : ""}${grace}`);
    }
    return 0;
  } finally {
    await db.close();
  }
}

export async function keysRotateCommand(ref: string, opts: { grace: string } & ApiFlags): Promise<number> {
  const env = readCliEnv();
  const target = apiTargetOf(opts, env);
  if (target) return runWithApi(target, (client) => keysRotateViaApi(client, ref, parseDuration(opts.grace), opts.grace));
  const db = await openDatabase(env);
  try {
    const secrets = loadInstanceSecrets(env, db.embedded);
    const key = await findKey(db.prisma, ref);
    const plaintext = generateVirtualKey();
    const graceSeconds = parseDuration(opts.grace);
    const { fresh, version } = await db.prisma.$transaction((tx) =>
      rotateVirtualKey(tx, { id: key.id, newKeyHash: hashVirtualKey(secrets.keyPepper, plaintext), newPrefix: displayPrefix(plaintext), graceSeconds }, actor()),
    );
    await publishConfigVersion(env, version, { prisma: db.prisma, secrets });
    console.log(`rotated "${key.name}": the old key ${key.prefix}… keeps working for ${opts.grace}`);
    console.log(`new key ${fresh.id} (shown once, store it now): ${plaintext}`);
    return 0;
  } finally {
    await db.close();
  }
}

export async function keysStatusCommand(ref: string, status: "active" | "disabled" | "revoked", flags: ApiFlags = {}): Promise<number> {
  const env = readCliEnv();
  const target = apiTargetOf(flags, env);
  if (target) return runWithApi(target, (client) => keysStatusViaApi(client, ref, status));
  const db = await openDatabase(env);
  try {
    const secrets = loadInstanceSecrets(env, db.embedded);
    const key = await findKey(db.prisma, ref);
    // Revoking by name ends the whole rotation chain, including an old key still in its grace period.
    const chain = status === "revoked" && !ref.startsWith("vk_")
      ? await db.prisma.virtualKey.findMany({ where: { name: key.name, status: { not: "revoked" } } })
      : [key];
    let version = 0n;
    for (const k of chain) version = (await db.prisma.$transaction((tx) => setVirtualKeyStatus(tx, { id: k.id, status }, actor()))).version;
    await publishConfigVersion(env, version, { prisma: db.prisma, secrets });
    console.log(`${status === "active" ? "enabled" : status} ${chain.map((k) => `${k.prefix}…`).join(", ")} ("${key.name}"), configuration version ${version}`);
    return 0;
  } finally {
    await db.close();
  }
}
