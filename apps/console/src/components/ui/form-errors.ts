/** The shape tRPC gives a failed call in the browser (our errorFormatter adds zodError). */
interface ClientError {
  message: string;
  data?: { code?: string; zodError?: { fieldErrors?: Record<string, string[] | undefined>; formErrors?: string[] } | null } | null;
}

/** First message per input field, for inline errors. */
export function fieldErrorsOf(error: unknown): Record<string, string> {
  const fieldErrors = (error as ClientError | null)?.data?.zodError?.fieldErrors ?? {};
  const out: Record<string, string> = {};
  for (const [field, messages] of Object.entries(fieldErrors)) if (messages?.[0]) out[field] = messages[0];
  return out;
}

/** The message for the form as a whole: the server's words, or a pointer at the fields. */
export function formErrorOf(error: unknown): string | null {
  if (!error) return null;
  const e = error as ClientError;
  const zod = e.data?.zodError;
  if (zod) return zod.formErrors?.[0] ?? "Check the highlighted fields.";
  return e.message || "Something went wrong.";
}

/** "a, b , c" -> ["a", "b", "c"]; empty parts dropped. */
export function splitList(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}
