import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SignOutButton } from "@/components/sign-out-button";
import { getViewer } from "@/server/auth/viewer";

export const metadata: Metadata = { title: "Access not granted" };

/** Where a signed-in user without any role binding lands. */
export default async function AccessDeniedPage() {
  const viewer = await getViewer();
  if (!viewer) redirect("/signin");
  if (viewer.bindings.length > 0) redirect("/");
  return (
    <main className="auth-page">
      <div className="auth-card">
        <h1>Access not granted</h1>
        <p>
          You are signed in as <strong>{viewer.user.email}</strong>, but no role has been granted to this account yet.
        </p>
        <p className="muted">
          Ask a Portcullis administrator to add you to a team or map one of your identity-provider groups to a role.
          Then sign in again.
        </p>
        <SignOutButton />
      </div>
    </main>
  );
}
