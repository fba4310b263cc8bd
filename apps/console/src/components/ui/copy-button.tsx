"use client";
import { useState } from "react";

/** Copies `value` to the clipboard and says so (to screen readers too). */
export function CopyButton({ value, label = "Copy" }: { value: string; label?: string }) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  return (
    <>
      <button
        type="button"
        className="button button-secondary button-small"
        onClick={async () => {
          try {
            await navigator.clipboard.writeText(value);
            setState("copied");
          } catch {
            setState("failed");
          }
        }}
      >
        {state === "copied" ? "Copied" : label}
      </button>
      <span role="status" className="visually-hidden">
        {state === "copied" ? "Copied to the clipboard" : state === "failed" ? "Copy failed: select the text and copy it" : ""}
      </span>
    </>
  );
}
