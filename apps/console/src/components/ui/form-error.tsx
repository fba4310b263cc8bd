"use client";
import { formErrorOf } from "./form-errors";

/** The alert above a form saying why its last submit failed; nothing while there is no error. */
export function FormError({ error }: { error: unknown }) {
  return error ? (
    <p className="notice notice-error" role="alert">
      {formErrorOf(error)}
    </p>
  ) : null;
}
