import { formatApplyReport, type Plan } from "@portcullis/declarative";
import { ApiError, type ApiClient } from "../api-client";

/** What POST /api/v1/config/apply answers (the console's config.apply). */
export interface ApiApplyResult {
  dryRun: boolean;
  changes: Plan["changes"];
  unchanged: number;
  /** The new configuration version; null for a dry run or a file that changes nothing. */
  version: string | null;
  createdKeys: { name: string; key: string }[];
}

/**
 * `portcullis apply` against a running install: the server plans and applies the file with the
 * same engine, as the token's service account; the CLI prints the same report as on the database.
 * A file the server refuses (422) is printed exactly as the local check prints it.
 */
export async function applyViaApi(client: ApiClient, file: string, yaml: string, dryRun: boolean): Promise<number> {
  let result: ApiApplyResult;
  try {
    result = await client.request<ApiApplyResult>("POST", "/config/apply", { yaml, dryRun, file });
  } catch (e) {
    if (e instanceof ApiError && e.status === 422) {
      console.error(e.message);
      return 1;
    }
    throw e;
  }
  console.log(formatApplyReport({ changes: result.changes, unchanged: result.unchanged }, result));
  return 0;
}

/** The configuration as YAML, read through the API (`portcullis export` in client mode; needs config.export). */
export async function exportViaApi(client: ApiClient): Promise<string> {
  return (await client.request<{ yaml: string }>("GET", "/config/export")).yaml;
}
