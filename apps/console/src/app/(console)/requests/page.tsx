import type { Metadata } from "next";
import { RequestsPage } from "./requests-page";

export const metadata: Metadata = { title: "Request logs" };

export default function Page() {
  return <RequestsPage />;
}
