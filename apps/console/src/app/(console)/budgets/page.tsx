import type { Metadata } from "next";
import { BudgetsPage } from "./budgets-page";

export const metadata: Metadata = { title: "Budgets and rate limits" };

export default function Page() {
  return <BudgetsPage />;
}
