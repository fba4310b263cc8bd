import type { Metadata } from "next";
import { KeysPage } from "./keys-page";

export const metadata: Metadata = { title: "Virtual keys" };

export default async function Page({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { teamId } = await searchParams;
  return <KeysPage initialTeamId={typeof teamId === "string" ? teamId : undefined} />;
}
