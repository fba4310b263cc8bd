import type { Metadata } from "next";
import { BootstrapForm } from "./bootstrap-form";

export const metadata: Metadata = { title: "First administrator" };

/**
 * Landing page of the one-time first-admin link. It never redeems the token on GET
 * (link previewers and scanners fetch URLs): a person confirms with the button.
 */
export default async function BootstrapPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const token = typeof params.token === "string" ? params.token : null;
  return (
    <main className="auth-page">
      <div className="auth-card">
        <span className="brand">
          <span className="brand-mark" aria-hidden="true">
            P
          </span>
          Portcullis
        </span>
        <h1>Set up Portcullis</h1>
        {token ? (
          <>
            <p>
              This one-time link signs you in as the first administrator, with the Owner role. It stops working once
              used.
            </p>
            <BootstrapForm token={token} />
          </>
        ) : (
          <p className="notice notice-error" role="alert">
            This page needs the one-time link that <code>portcullis start</code> printed (it ends in{" "}
            <code>?token=…</code>).
          </p>
        )}
      </div>
    </main>
  );
}
