import Link from "next/link";
import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { Providers } from "@/components/providers";
import { SidebarNav } from "@/components/sidebar-nav";
import { SignOutButton } from "@/components/sign-out-button";
import { ViewerProvider } from "@/components/viewer-context";
import { describeAccess, reachMapOf, visibleNavItems } from "@/lib/navigation";
import { getViewer } from "@/server/auth/viewer";

/** Every page inside needs a live session and at least one role binding. */
export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const viewer = await getViewer();
  if (!viewer) redirect("/signin");
  if (viewer.bindings.length === 0) redirect("/access-denied");

  const nav = visibleNavItems(viewer.bindings).map(({ label, href }) => ({ label, href }));
  return (
    <div className="shell">
      <a href="#main" className="skip-link">
        Skip to main content
      </a>
      <aside className="sidebar">
        <Link href="/" className="brand">
          <span className="brand-mark" aria-hidden="true">
            P
          </span>
          Portcullis
        </Link>
        <SidebarNav items={nav} />
      </aside>
      <header className="header">
        <div className="user-card" data-testid="signed-in-user">
          <span className="user-name">{viewer.user.name ?? viewer.user.email}</span>
          <span className="user-meta">
            {viewer.user.email} · {describeAccess(viewer.bindings)}
          </span>
        </div>
        <SignOutButton />
      </header>
      <main id="main" className="main" tabIndex={-1}>
        <Providers>
          <ViewerProvider viewer={{ user: viewer.user, reach: reachMapOf(viewer.bindings) }}>
            {children}
          </ViewerProvider>
        </Providers>
      </main>
    </div>
  );
}
