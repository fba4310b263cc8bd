"use client";
import { CopyButton } from "./copy-button";

/** A secret shown exactly once, with a copy button and the warning that it will not be shown again. */
export function SecretReveal({ secret, what }: { secret: string; what: string }) {
  return (
    <div className="form">
      <p className="notice notice-warning" role="note">
        Copy the {what} now. It is shown only this once: Portcullis stores only its hash.
      </p>
      <div className="secret-box">
        <code data-testid="secret-value">{secret}</code>
        <CopyButton value={secret} />
      </div>
    </div>
  );
}
