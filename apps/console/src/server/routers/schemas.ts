import { z } from "zod";

/** Input pieces shared by several routers. */
export const idSchema = z.string().trim().min(3).max(64);
export const nameSchema = z.string().trim().min(1, "Enter a name").max(100, "At most 100 characters");
export const descriptionSchema = z.string().trim().max(500, "At most 500 characters").optional();
export const environmentSchema = z.enum(["dev", "staging", "prod"]);
export const periodSchema = z.enum(["day", "week", "month", "quarter", "year", "lifetime"]);

/** Allow-list patterns: `*` wildcards, no spaces, no duplicates. */
export const patternListSchema = z
  .array(z.string().trim().min(1).max(200).regex(/^\S+$/, "Patterns cannot contain spaces"))
  .max(100)
  .transform((xs) => [...new Set(xs)]);

export const usdSchema = z.number({ error: "Enter an amount in USD" }).positive("Must be more than 0").max(1e9, "Too large");

export const timeZoneSchema = z
  .string()
  .trim()
  .refine((tz) => {
    try {
      new Intl.DateTimeFormat("en", { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, "Unknown time zone (use an IANA name such as Europe/Paris)");

export const pageSchema = z.object({
  cursor: z.string().max(64).optional(),
  limit: z.number().int().min(1).max(200).default(50),
});

/** A secret reference the gateway can resolve. */
export const secretRefSchema = z
  .string()
  .trim()
  .regex(/^(env|file|vault|aws-sm|gcp-sm|azure-kv):\/\/\S+$/, "Use a reference such as env://OPENAI_API_KEY or vault://secret/data/openai#key");
