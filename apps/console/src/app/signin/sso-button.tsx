"use client";
import { signIn } from "next-auth/react";
import { useState } from "react";

export function SsoButton({ providerName }: { providerName: string }) {
  const [pending, setPending] = useState(false);
  return (
    <button
      type="button"
      className="button button-primary button-block"
      disabled={pending}
      onClick={() => {
        setPending(true);
        void signIn("oidc", { callbackUrl: "/" });
      }}
    >
      {pending ? "Redirecting…" : `Sign in with ${providerName}`}
    </button>
  );
}
