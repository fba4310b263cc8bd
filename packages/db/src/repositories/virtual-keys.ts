import { newId } from "@portcullis/core";
import { appendAuditEvent } from "../audit";
import { bumpConfigVersion } from "../config-version";
import type { Prisma, VirtualKey } from "../generated/prisma/client";

type Tx = Prisma.TransactionClient;

export interface KeyActor {
  actorType: "user" | "service_account" | "system";
  actorId?: string | null;
  actorLabel: string;
  ip?: string | null;
  userAgent?: string | null;
}

const view = (k: VirtualKey) => ({ id: k.id, name: k.name, prefix: k.prefix, status: k.status, expiresAt: k.expiresAt, graceExpiresAt: k.graceExpiresAt });

/**
 * Rotates a key inside the caller's transaction: a new key row with the same policy
 * (allow-lists, bindings, limits stay attached to the scope they belong to), and the
 * old key keeps working until the grace period ends. Audited; bumps the config version.
 */
export async function rotateVirtualKey(
  tx: Tx,
  input: { id: string; newKeyHash: string; newPrefix: string; graceSeconds: number; now?: Date },
  actor: KeyActor,
): Promise<{ old: VirtualKey; fresh: VirtualKey; version: bigint }> {
  const now = input.now ?? new Date();
  const old = await tx.virtualKey.findUniqueOrThrow({ where: { id: input.id }, include: { bindings: true } });
  if (old.status === "revoked") throw new Error(`virtual key "${old.name}" is revoked and cannot be rotated`);
  const graceExpiresAt = new Date(now.getTime() + input.graceSeconds * 1000);
  const updatedOld = await tx.virtualKey.update({ where: { id: old.id }, data: { graceExpiresAt } });
  const fresh = await tx.virtualKey.create({
    data: {
      id: newId("virtualKey"), keyHash: input.newKeyHash, prefix: input.newPrefix, name: old.name, description: old.description,
      status: old.status, environment: old.environment, expiresAt: old.expiresAt, teamId: old.teamId, customerId: old.customerId,
      ownerUserId: old.ownerUserId, serviceAccountId: old.serviceAccountId, allowedProviders: old.allowedProviders,
      allowedModels: old.allowedModels, blockedModels: old.blockedModels, allowedEndpoints: old.allowedEndpoints,
      ipAllowList: old.ipAllowList, metadata: old.metadata as Prisma.InputJsonValue, rotatedFromId: old.id, createdBy: actor.actorLabel,
      bindings: { create: old.bindings.map((b) => ({ environment: b.environment, providerKeyId: b.providerKeyId })) },
    },
  });
  // Budgets and rate limits stay on the first key of the rotation chain; gateways count
  // every key of the chain against them (CompiledKey.limitScopeId), so rotation resets nothing.
  await appendAuditEvent(tx, {
    ...actor, action: "virtual_key.rotate", targetType: "virtual_key", targetId: old.id,
    before: view(old), after: { old: view(updatedOld), new: view(fresh) }, metadata: { graceSeconds: input.graceSeconds },
  });
  return { old: updatedOld, fresh, version: await bumpConfigVersion(tx) };
}

/** Revokes, disables or re-enables a key; effective on every gateway with the next configuration version. */
export async function setVirtualKeyStatus(
  tx: Tx,
  input: { id: string; status: "active" | "disabled" | "revoked"; now?: Date },
  actor: KeyActor,
): Promise<{ key: VirtualKey; version: bigint }> {
  const before = await tx.virtualKey.findUniqueOrThrow({ where: { id: input.id } });
  if (before.status === "revoked" && input.status !== "revoked") throw new Error(`virtual key "${before.name}" is revoked; revocation is final`);
  const key = await tx.virtualKey.update({
    where: { id: input.id },
    data: { status: input.status, ...(input.status === "revoked" ? { revokedAt: input.now ?? new Date() } : {}) },
  });
  const verb = input.status === "revoked" ? "revoke" : input.status === "disabled" ? "disable" : "enable";
  await appendAuditEvent(tx, { ...actor, action: `virtual_key.${verb}`, targetType: "virtual_key", targetId: key.id, before: view(before), after: view(key) });
  return { key, version: await bumpConfigVersion(tx) };
}
