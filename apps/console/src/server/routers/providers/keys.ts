import { TRPCError } from "@trpc/server";
import { newId } from "@portcullis/core";
import { encryptSecret } from "@portcullis/secrets";
import { z } from "zod";
import { notFound } from "../../authz";
import { withMutation, type Tx } from "../../mutation";
import { createRouter, protectedProcedure, requirePermission } from "../../trpc/init";
import { idSchema } from "../schemas";
import { toProviderKeyDto } from "./dto";
import { providerKeyInput, providerKeyUpdate, type CredentialInput } from "./schemas";

/** The two credential columns for an input (the CHECK wants exactly one set; `none://` means no credential). */
function credentialColumns(c: CredentialInput, encryptionKey: string | undefined) {
  if (c.kind === "reference") return { credentialRef: c.ref, encryptedCredential: null };
  if (c.kind === "none") return { credentialRef: "none://", encryptedCredential: null };
  if (!encryptionKey) {
    throw new TRPCError({ code: "BAD_REQUEST", message: "Storing values needs PORTCULLIS_ENCRYPTION_KEY on the console; use a secret reference instead." });
  }
  return { credentialRef: null, encryptedCredential: encryptSecret(encryptionKey, c.value) };
}

const keyDto = async (tx: Tx, id: string) => toProviderKeyDto(await tx.providerKey.findUniqueOrThrow({ where: { id } }));

/** Provider keys hold credentials: every change needs provider_credential.update, and values never come back. */
export const providerKeysRouter = createRouter({
  create: protectedProcedure
    .use(requirePermission("provider_credential.update"))
    .input(providerKeyInput)
    .mutation(async ({ ctx, input }) =>
      withMutation(ctx, async (tx, audit) => {
        if (!(await tx.provider.findUnique({ where: { id: input.providerId }, select: { id: true } }))) throw notFound("Provider");
        const id = newId("providerKey");
        const { credential, ...fields } = input;
        await tx.providerKey.create({ data: { id, ...fields, ...credentialColumns(credential, ctx.services.encryptionKey) } });
        const after = await keyDto(tx, id);
        await audit({ action: "provider_key.create", targetType: "provider_key", targetId: id, after });
        return after;
      }),
    ),

  update: protectedProcedure
    .use(requirePermission("provider_credential.update"))
    .input(providerKeyUpdate)
    .mutation(async ({ ctx, input }) =>
      withMutation(ctx, async (tx, audit) => {
        if (!(await tx.providerKey.findUnique({ where: { id: input.id }, select: { id: true } }))) throw notFound("Provider key");
        const before = await keyDto(tx, input.id);
        const { id, credential, ...fields } = input;
        await tx.providerKey.update({
          where: { id },
          data: { ...fields, ...(credential ? { ...credentialColumns(credential, ctx.services.encryptionKey), lastTestedAt: null, lastTestError: null } : {}) },
        });
        const after = await keyDto(tx, id);
        await audit({ action: "provider_key.update", targetType: "provider_key", targetId: id, before, after, metadata: { credentialChanged: Boolean(credential) } });
        return after;
      }),
    ),

  delete: protectedProcedure
    .use(requirePermission("provider_credential.update"))
    .input(z.object({ id: idSchema }))
    .mutation(async ({ ctx, input }) =>
      withMutation(ctx, async (tx, audit) => {
        if (!(await tx.providerKey.findUnique({ where: { id: input.id }, select: { id: true } }))) throw notFound("Provider key");
        const before = await keyDto(tx, input.id);
        await tx.budget.deleteMany({ where: { scopeType: "provider_key", scopeId: input.id } });
        await tx.rateLimit.deleteMany({ where: { scopeType: "provider_key", scopeId: input.id } });
        await tx.providerKey.delete({ where: { id: input.id } });
        await audit({ action: "provider_key.delete", targetType: "provider_key", targetId: input.id, before });
        return { id: input.id };
      }),
    ),

  /**
   * Test connection: resolves the credential in the console's process (references and
   * encrypted values alike), then asks the upstream for its models where it has such an
   * endpoint. The outcome is stored on the key and audited; the credential is never returned.
   */
  test: protectedProcedure
    .use(requirePermission("provider_credential.update"))
    .input(z.object({ id: idSchema }))
    .mutation(async ({ ctx, input }) => {
      const key = await ctx.prisma.providerKey.findUnique({ where: { id: input.id }, include: { provider: true } });
      if (!key) throw notFound("Provider key");
      const ref = key.encryptedCredential ? `encrypted:${key.encryptedCredential}` : (key.credentialRef ?? "none://");
      let result: { ok: boolean; message: string };
      try {
        const secret = await ctx.services.resolveSecret(ref);
        result = await ctx.services.probeProvider({ type: key.provider.type, baseUrl: key.provider.baseUrl, apiVersion: key.provider.apiVersion, secret });
      } catch (e) {
        result = { ok: false, message: e instanceof Error ? e.message : "The credential could not be resolved." };
      }
      return withMutation(ctx, async (tx, audit) => {
        await tx.providerKey.update({ where: { id: key.id }, data: { lastTestedAt: new Date(), lastTestError: result.ok ? null : result.message.slice(0, 500) } });
        await audit({ action: "provider_key.test", targetType: "provider_key", targetId: key.id, after: result });
        return { ...result, key: await keyDto(tx, key.id) };
      });
    }),
});
