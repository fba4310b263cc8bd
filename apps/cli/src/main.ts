import { Command } from "commander";
import type { ApiFlags } from "./api-client";
import { applyCommand } from "./commands/apply";
import { auditArchiveCommand, auditCheckpointCommand, auditVerifyCommand } from "./commands/audit";
import { bootstrapCommand } from "./commands/bootstrap";
import { exportCommand } from "./commands/export";
import { keysListCommand, keysRotateCommand, keysStatusCommand } from "./commands/keys";
import { migrateCommand } from "./commands/migrate";
import { startCommand } from "./commands/start";
import { statusCommand } from "./commands/status";

const program = new Command("portcullis").description("Portcullis AI gateway").showHelpAfterError();

const exit = (code: number) => {
  process.exitCode = code;
};

/** Client mode: these commands call a running install's /api/v1 instead of opening the database. */
const withApiOptions = (cmd: Command) =>
  cmd
    .option("--url <url>", "console base URL of a running install (default: $PORTCULLIS_URL)")
    .option("--token <token>", "admin API token, pca_… (default: $PORTCULLIS_API_TOKEN)");

program.command("start").description("run gateway, console and worker (embedded defaults without DATABASE_URL / REDIS_URL)").action(startCommand);
program.command("migrate").description("apply database migrations").action(async () => exit(await migrateCommand()));
program
  .command("bootstrap")
  .description("print a one-time first-admin link; --api-token creates an Owner service account token")
  .option("--api-token", "create an admin API token")
  .option("--name <name>", "service account name for --api-token", "bootstrap-admin")
  .option("--force", "issue a break-glass link even though an admin exists")
  .action(async (o: { apiToken?: boolean; name: string; force?: boolean }) => exit(await bootstrapCommand(o)));
withApiOptions(program.command("apply"))
  .description("apply a declarative configuration file (idempotent); through the API with --url/--token")
  .requiredOption("-f, --file <file>", "YAML file")
  .option("--dry-run", "print the changes without making them")
  .action(async (o: { file: string; dryRun?: boolean } & ApiFlags) => exit(await applyCommand(o)));
withApiOptions(program.command("export"))
  .description("write the current configuration as YAML (never includes secrets); through the API with --url/--token")
  .option("-o, --output <file>", "output file (default: stdout)")
  .action(async (o: { output?: string } & ApiFlags) => exit(await exportCommand(o)));

const audit = program.command("audit").description("prove, checkpoint and archive the audit hash chain");
audit
  .command("verify")
  .description("verify the hash chain and its signed checkpoints; names the first broken link (exit 1)")
  .option("--from <seq|iso>", "first event to check (seq number or ISO time)")
  .option("--to <seq|iso>", "last event to check (seq number or ISO time)")
  .option("--public-key <file...>", "extra Ed25519 public keys (PEM) for checkpoints signed by earlier keys")
  .option("--json", "print the report as JSON")
  .action(async (o: { from?: string; to?: string; publicKey?: string[]; json?: boolean }) => exit(await auditVerifyCommand(o)));
audit.command("checkpoint").description("sign the current head of the chain").action(async () => exit(await auditCheckpointCommand()));
audit
  .command("archive")
  .description("write events before a time to a signed JSONL archive, then prune them")
  .requiredOption("--before <iso>", "archive events that occurred before this time")
  .requiredOption("-o, --output <dir>", "directory for the archive and its signature")
  .option("--allow-unexported", "prune even events an export sink has not delivered yet")
  .action(async (o: { before: string; output: string; allowUnexported?: boolean }) => exit(await auditArchiveCommand(o)));

withApiOptions(program.command("status"))
  .description("configuration version and which gateways run it (exit 3 when some lag); through the API with --url/--token")
  .option("--json", "machine-readable output")
  .action(async (o: { json?: boolean } & ApiFlags) => exit(await statusCommand(o)));

const keys = program
  .command("keys")
  .description("list, rotate, disable, enable or revoke virtual keys (on the database, or through a running install's API with --url/--token or PORTCULLIS_URL + PORTCULLIS_API_TOKEN)");
withApiOptions(keys.command("list")).description("every key with its status").action(async (o: ApiFlags) => exit(await keysListCommand(o)));
withApiOptions(keys.command("rotate <key>"))
  .description("issue a new key; the old one keeps working for the grace period")
  .option("--grace <duration>", "how long the old key keeps working (e.g. 30m, 24h, 7d; whole hours through the API)", "24h")
  .action(async (ref: string, o: { grace: string } & ApiFlags) => exit(await keysRotateCommand(ref, o)));
withApiOptions(keys.command("disable <key>")).description("stop a key until it is enabled again").action(async (ref: string, o: ApiFlags) => exit(await keysStatusCommand(ref, "disabled", o)));
withApiOptions(keys.command("enable <key>")).description("re-enable a disabled key").action(async (ref: string, o: ApiFlags) => exit(await keysStatusCommand(ref, "active", o)));
withApiOptions(keys.command("revoke <key>"))
  .description("revoke a key (by name: every key of its rotation chain); final")
  .action(async (ref: string, o: ApiFlags) => exit(await keysStatusCommand(ref, "revoked", o)));

program.parseAsync().catch((e: unknown) => {
  console.error(`error: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
});
