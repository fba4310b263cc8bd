"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useViewer } from "@/components/viewer-context";

const tabs = [
  { href: "/settings", label: "SSO group mapping", permission: "settings.read" },
  { href: "/settings/users", label: "Users", permission: "member.read" },
  { href: "/settings/roles", label: "Roles", permission: "role.read" },
  { href: "/settings/export-sinks", label: "Export sinks", permission: "export_sink.read" },
  { href: "/settings/service-accounts", label: "API access", permission: "service_account.read" },
];

export function SettingsTabs() {
  const pathname = usePathname();
  const viewer = useViewer();
  return (
    <nav className="tabs" aria-label="Settings sections">
      {tabs
        .filter((t) => viewer.can(t.permission))
        .map((t) => (
          <Link key={t.href} href={t.href} className="tab" aria-current={pathname === t.href ? "page" : undefined}>
            {t.label}
          </Link>
        ))}
    </nav>
  );
}
