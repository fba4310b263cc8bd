"use client";

/** Last-resort boundary: the server log has the cause; the browser only gets a digest. */
export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <main className="auth-page">
      <div className="auth-card" role="alert">
        <h1>Something went wrong</h1>
        <p className="muted">
          The console could not render this page.{error.digest ? ` Reference: ${error.digest}.` : ""}
        </p>
        <button type="button" className="button button-secondary" onClick={reset}>
          Try again
        </button>
      </div>
    </main>
  );
}
