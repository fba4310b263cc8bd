import { hashVirtualKey } from "@portcullis/core";
import { applyConfig, ConfigFileError, formatApplyReport, loadConfigFile, readConfigText } from "@portcullis/declarative";
import { userInfo } from "node:os";
import { apiTargetOf, runWithApi, type ApiFlags } from "../api-client";
import { openDatabase } from "../database";
import { readCliEnv } from "../env";
import { loadInstanceSecrets } from "../instance-secrets";
import { publishConfigVersion } from "../publish";
import { applyViaApi } from "./config-api";

export interface ApplyOptions extends ApiFlags {
  file: string;
  dryRun?: boolean;
}

/**
 * `portcullis apply -f file.yaml [--dry-run]`: on the database, or through a running install's
 * API (--url/--token or PORTCULLIS_URL + PORTCULLIS_API_TOKEN). Returns the process exit code.
 */
export async function applyCommand(opts: ApplyOptions): Promise<number> {
  const env = readCliEnv();
  const target = apiTargetOf(opts, env);
  let loaded;
  try {
    if (target) {
      const text = readConfigText(opts.file);
      return await runWithApi(target, (client) => applyViaApi(client, opts.file, text, opts.dryRun ?? false));
    }
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
    const dryRun = opts.dryRun ?? false;
    const outcome = await applyConfig(db.prisma, loaded, {
      dryRun,
      hashKey: (k) => hashVirtualKey(secrets.keyPepper, k),
      actor: { label: `cli:${userInfo().username}` },
    });
    if ("problems" in outcome) {
      console.error(new ConfigFileError(outcome.problems).message);
      return 1;
    }
    console.log(formatApplyReport(outcome.plan, { dryRun, version: outcome.applied?.version, createdKeys: outcome.applied?.createdKeys ?? [] }));
    if (outcome.applied?.version !== undefined) await publishConfigVersion(env, outcome.applied.version, { prisma: db.prisma, secrets });
    return 0;
  } finally {
    await db.close();
  }
}
