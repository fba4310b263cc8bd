"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { isCurrentSection } from "@/lib/nav-match";

export interface SidebarLink {
  label: string;
  href: string | null;
}

export function SidebarNav({ items }: { items: SidebarLink[] }) {
  const pathname = usePathname();
  return (
    <nav aria-label="Main">
      <ul className="nav-list">
        {items.map((item) => (
          <li key={item.label}>
            {item.href ? (
              <Link href={item.href} className="nav-item" aria-current={isCurrentSection(item.href, pathname) ? "page" : undefined}>
                {item.label}
              </Link>
            ) : (
              <span className="nav-item nav-item-pending" aria-disabled="true">
                {item.label}
                <span className="nav-badge">
                  <span aria-hidden="true">soon</span>
                  <span className="visually-hidden">(not available yet)</span>
                </span>
              </span>
            )}
          </li>
        ))}
      </ul>
    </nav>
  );
}
