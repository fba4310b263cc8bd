import { catalogProviders } from "@portcullis/core";
import { z } from "zod";
import { environmentSchema, idSchema, nameSchema, patternListSchema, secretRefSchema } from "../schemas";

export const providerInput = z.object({
  name: z
    .string()
    .trim()
    .min(1, "Enter a name")
    .max(64)
    .regex(/^[a-z0-9][a-z0-9._-]*$/, "Lower-case letters, digits, dots, dashes, e.g. openai-eu (clients may write name/model)"),
  type: z.enum(catalogProviders),
  baseUrl: z.url("Enter a URL such as https://api.openai.com/v1").nullable().optional(),
  region: z.string().trim().max(64).nullable().optional(),
  apiVersion: z.string().trim().max(64).nullable().optional(),
  project: z.string().trim().max(128).nullable().optional(),
  enabled: z.boolean().default(true),
});

/** How a provider key's credential is given: a reference resolved at run time, a value encrypted at rest, or none. */
export const credentialInput = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("reference"), ref: secretRefSchema }),
  z.object({ kind: z.literal("value"), value: z.string().min(1, "Paste the credential").max(20_000) }),
  z.object({ kind: z.literal("none") }),
]);
export type CredentialInput = z.infer<typeof credentialInput>;

export const providerKeyInput = z.object({
  providerId: idSchema,
  name: nameSchema,
  environment: environmentSchema.default("prod"),
  credential: credentialInput,
  models: patternListSchema.default([]),
  deployments: z.record(z.string().trim().min(1).max(200), z.string().trim().min(1).max(200)).default({}),
  weight: z.number().int().min(0).max(1000).default(1),
  region: z.string().trim().max(64).nullable().optional(),
  enabled: z.boolean().default(true),
});

export const providerKeyUpdate = providerKeyInput.omit({ providerId: true }).partial().extend({ id: idSchema });
