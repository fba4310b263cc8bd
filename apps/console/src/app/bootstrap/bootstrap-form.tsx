"use client";
import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";

const failures: Record<string, string> = {
  CredentialsSignin: "This link is invalid, expired or has already been used.",
  AdminDisabled: "The bootstrap administrator is disabled. Sign in with single sign-on instead.",
};

export function BootstrapForm({ token }: { token: string }) {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setPending(true);
    setError(null);
    const result = await signIn("bootstrap", { token, redirect: false, callbackUrl: "/" });
    if (result?.ok && !result.error) {
      router.replace("/");
      router.refresh();
      return;
    }
    setPending(false);
    setError(failures[result?.error ?? ""] ?? "Sign-in failed. Try again.");
  }

  return (
    <form onSubmit={onSubmit} className="field" aria-describedby={error ? "bootstrap-error" : undefined}>
      {error ? (
        <p id="bootstrap-error" className="notice notice-error" role="alert">
          {error}
        </p>
      ) : null}
      <button type="submit" className="button button-primary button-block" disabled={pending}>
        {pending ? "Signing in…" : "Continue as first administrator"}
      </button>
    </form>
  );
}
