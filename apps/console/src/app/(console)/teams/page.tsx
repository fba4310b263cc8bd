import type { Metadata } from "next";
import { TeamsPage } from "./teams-page";

export const metadata: Metadata = { title: "Teams" };

export default function Page() {
  return <TeamsPage />;
}
