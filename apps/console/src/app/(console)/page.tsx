import type { Metadata } from "next";
import { getViewer } from "@/server/auth/viewer";
import { OverviewCharts } from "./overview-charts";
import { OverviewStats } from "./overview-stats";

export const metadata: Metadata = { title: "Overview" };

export default async function OverviewPage() {
  const viewer = await getViewer();
  return (
    <>
      <div className="page-header">
        <div>
          <h1 className="page-title">Overview</h1>
          <p className="page-subtitle">The gateway at a glance.</p>
        </div>
      </div>
      {viewer?.user.isBootstrapAdmin ? (
        <p className="notice notice-warning" role="note">
          You are signed in with the one-time bootstrap administrator. Configure single sign-on, grant an SSO user the
          Owner role, then disable this account.
        </p>
      ) : null}
      <OverviewStats />
      <OverviewCharts />
    </>
  );
}
