import type { Metadata } from "next";
import { ServiceAccountsPage } from "./service-accounts-page";

export const metadata: Metadata = { title: "API access" };

export default function Page() {
  return <ServiceAccountsPage />;
}
