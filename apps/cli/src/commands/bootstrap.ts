import { migrate } from "@portcullis/db/migrate";
import { createAdminApiToken, issueBootstrapLink, needsFirstAdmin, syncBuiltInRoles } from "../bootstrap";
import { openDatabase } from "../database";
import { consoleUrl, readCliEnv } from "../env";
import { loadInstanceSecrets } from "../instance-secrets";

/**
 * `portcullis bootstrap`: prints a one-time first-admin login link and, with
 * `--api-token`, creates an Owner service account with an admin API token.
 */
export async function bootstrapCommand(opts: { apiToken?: boolean; name: string; force?: boolean }): Promise<number> {
  const env = readCliEnv();
  const db = await openDatabase(env, { requireMigrated: false });
  try {
    await migrate(db.url);
    await syncBuiltInRoles(db.prisma);
    if (!(await needsFirstAdmin(db.prisma)) && !opts.force && !opts.apiToken) {
      console.error("an admin already exists: sign in through SSO (use --force to issue a break-glass link anyway)");
      return 1;
    }
    if (!opts.apiToken || opts.force) {
      const link = await issueBootstrapLink(db.prisma, consoleUrl(env));
      console.log(`one-time first-admin link (valid 60 minutes):\n  ${link}`);
    }
    if (opts.apiToken) {
      const secrets = loadInstanceSecrets(env, db.embedded);
      const { token } = await createAdminApiToken(db.prisma, secrets.keyPepper, opts.name);
      console.log(`admin API token for service account "${opts.name}" (shown once, store it now):\n  ${token}`);
    }
    return 0;
  } finally {
    await db.close();
  }
}
