import type { ReactNode } from "react";
import { SettingsTabs } from "./settings-tabs";

export default function SettingsLayout({ children }: { children: ReactNode }) {
  return (
    <>
      <div className="page-header">
        <div>
          <h1 className="page-title">Settings</h1>
          <p className="page-subtitle">Single sign-on mapping, people, roles, SIEM exports and API access.</p>
        </div>
      </div>
      <SettingsTabs />
      {children}
    </>
  );
}
