import { hashVirtualKey } from "@portcullis/core";
import { userInfo } from "node:os";
import { openDatabase } from "../database";
import { readCliEnv } from "../env";
import { loadInstanceSecrets } from "../instance-secrets";
import { executePlan } from "../declarative/execute";
import { ConfigFileError, loadConfigFile } from "../declarative/load";
import { formatPlan, planChanges } from "../declarative/plan";
import { readState } from "../declarative/state";
import { publishConfigVersion } from "../publish";

export interface ApplyOptions {
  file: string;
  dryRun?: boolean;
}

/** `portcullis apply -f file.yaml [--dry-run]`. Returns the process exit code. */
export async function applyCommand(opts: ApplyOptions): Promise<number> {
  const env = readCliEnv();
  let loaded;
  try {
    loaded = loadConfigFile(opts.file);
  } catch (e) {
    if (e instanceof ConfigFileError) {
      console.error(e.message);
      return 1;
    }
    throw e;
  }
  const db = await openDatabase(env);
  try {
    const secrets = loadInstanceSecrets(env, db.embedded);
    const hashKey = (k: string) => hashVirtualKey(secrets.keyPepper, k);
    const state = await readState(db.prisma);
    const plan = planChanges(loaded, state, hashKey);
    if ("problems" in plan) {
      console.error(new ConfigFileError(plan.problems).message);
      return 1;
    }
    console.log(formatPlan(plan));
    if (opts.dryRun) {
      console.log("dry run: nothing was changed");
      return 0;
    }
    if (plan.changes.length === 0) return 0;
    const result = await executePlan(db.prisma, loaded.document, plan, state, hashKey, { label: `cli:${userInfo().username}` });
    console.log(`applied: configuration version ${result.version}`);
    for (const k of result.createdKeys) console.log(`new virtual key "${k.name}" (shown once, store it now): ${k.key}`);
    if (result.version !== undefined) await publishConfigVersion(env, result.version, { prisma: db.prisma, secrets });
    return 0;
  } finally {
    await db.close();
  }
}
