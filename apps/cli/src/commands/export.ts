import { exportDocument, readState } from "@portcullis/declarative";
import { writeFileSync } from "node:fs";
import { apiTargetOf, runWithApi, type ApiFlags } from "../api-client";
import { openDatabase } from "../database";
import { readCliEnv } from "../env";
import { exportViaApi } from "./config-api";

/** Where the YAML goes: stdout (no file, or `-`), or a file with a note on stderr. */
function writeExport(text: string, output: string | undefined): void {
  if (!output || output === "-") process.stdout.write(text);
  else {
    writeFileSync(output, text);
    console.error(`wrote ${output}`);
  }
}

/** `portcullis export [-o file.yaml]`: the current configuration, without secrets; through the API in client mode. */
export async function exportCommand(opts: { output?: string } & ApiFlags): Promise<number> {
  const env = readCliEnv();
  const target = apiTargetOf(opts, env);
  if (target) {
    return runWithApi(target, async (client) => {
      writeExport(await exportViaApi(client), opts.output);
      return 0;
    });
  }
  const db = await openDatabase(env);
  try {
    writeExport(exportDocument((await readState(db.prisma)).document), opts.output);
    return 0;
  } finally {
    await db.close();
  }
}
