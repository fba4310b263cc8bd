"use client";
import type { ReactNode } from "react";

/** A form's footer: Cancel, then the submit button, disabled while the form is being saved. */
export function FormActions({ onCancel, pending, children }: { onCancel: () => void; pending: boolean; children: ReactNode }) {
  return (
    <div className="form-actions">
      <button type="button" className="button button-secondary" onClick={onCancel}>
        Cancel
      </button>
      <button type="submit" className="button button-primary" disabled={pending}>
        {children}
      </button>
    </div>
  );
}
