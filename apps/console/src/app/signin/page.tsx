import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { currentOidcConfig } from "@/server/auth/options";
import { getViewer } from "@/server/auth/viewer";
import { SsoButton } from "./sso-button";

export const metadata: Metadata = { title: "Sign in" };

/** next-auth's error codes and ours, in words a person can act on. */
const errorMessages: Record<string, string> = {
  AccountDisabled: "Your account is disabled. Ask a Portcullis administrator to re-enable it.",
  IdentityConflict:
    "This e-mail address already belongs to a console user linked to a different identity. Ask an administrator.",
  EmailMissing: "Your identity provider did not send an e-mail address. Ask your IdP administrator to release the email claim.",
  NoAccess:
    "You signed in, but none of your identity-provider groups grants access to Portcullis. Ask an administrator to map one of your groups to a role.",
  AdminDisabled: "The bootstrap administrator is disabled. Sign in with single sign-on.",
  AccessDenied: "Sign-in was refused.",
  OAuthSignin: "Could not reach the identity provider. Try again, or ask an administrator to check the SSO settings.",
  OAuthCallback: "The identity provider's answer could not be verified. Try again.",
  Callback: "Sign-in could not be completed. Try again.",
  SessionRequired: "Please sign in to continue.",
};

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  if (await getViewer()) redirect("/");
  const params = await searchParams;
  const error = typeof params.error === "string" ? (errorMessages[params.error] ?? "Sign-in failed. Try again.") : null;
  const signedOut = params.signedOut === "1";
  const oidc = currentOidcConfig();

  return (
    <main className="auth-page">
      <div className="auth-card">
        <span className="brand">
          <span className="brand-mark" aria-hidden="true">
            P
          </span>
          Portcullis
        </span>
        <h1>Sign in to the console</h1>
        {error ? (
          <p className="notice notice-error" role="alert">
            {error}
          </p>
        ) : null}
        {signedOut && !error ? (
          <p className="notice" role="status">
            You have been signed out.
          </p>
        ) : null}
        {oidc ? (
          <SsoButton providerName={oidc.displayName} />
        ) : (
          <p className="muted">
            Single sign-on is not configured yet. Use the one-time first-admin link that <code>portcullis start</code>{" "}
            printed, then set <code>OIDC_ISSUER</code>, <code>OIDC_CLIENT_ID</code> and <code>OIDC_CLIENT_SECRET</code>.
          </p>
        )}
        <p className="auth-footnote">Access is granted by your organisation&apos;s Portcullis administrators.</p>
      </div>
    </main>
  );
}
