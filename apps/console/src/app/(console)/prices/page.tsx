import type { Metadata } from "next";
import { PricesPage } from "./prices-page";

export const metadata: Metadata = { title: "Prices" };

export default function Page() {
  return <PricesPage />;
}
