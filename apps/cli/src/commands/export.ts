import { writeFileSync } from "node:fs";
import { openDatabase } from "../database";
import { exportDocument } from "../declarative/export";
import { readState } from "../declarative/state";
import { readCliEnv } from "../env";

/** `portcullis export [-o file.yaml]`: the current configuration, without secrets. */
export async function exportCommand(opts: { output?: string }): Promise<number> {
  const db = await openDatabase(readCliEnv());
  try {
    const text = exportDocument((await readState(db.prisma)).document);
    if (!opts.output || opts.output === "-") process.stdout.write(text);
    else {
      writeFileSync(opts.output, text);
      console.error(`wrote ${opts.output}`);
    }
    return 0;
  } finally {
    await db.close();
  }
}
