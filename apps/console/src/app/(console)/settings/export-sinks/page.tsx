import type { Metadata } from "next";
import { ExportSinksPage } from "./export-sinks-page";

export const metadata: Metadata = { title: "Export sinks" };

export default function Page() {
  return <ExportSinksPage />;
}
