import type { Metadata } from "next";
import { SsoMappings } from "./sso-mappings";

export const metadata: Metadata = { title: "SSO group mapping" };

export default function Page() {
  return <SsoMappings />;
}
