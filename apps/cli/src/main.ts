import { Command } from "commander";
import { applyCommand } from "./commands/apply";
import { bootstrapCommand } from "./commands/bootstrap";
import { exportCommand } from "./commands/export";
import { migrateCommand } from "./commands/migrate";
import { startCommand } from "./commands/start";

const program = new Command("portcullis").description("Portcullis AI gateway").showHelpAfterError();

const exit = (code: number) => {
  process.exitCode = code;
};

program.command("start").description("run gateway, console and worker (embedded defaults without DATABASE_URL / REDIS_URL)").action(startCommand);
program.command("migrate").description("apply database migrations").action(async () => exit(await migrateCommand()));
program
  .command("bootstrap")
  .description("print a one-time first-admin link; --api-token creates an Owner service account token")
  .option("--api-token", "create an admin API token")
  .option("--name <name>", "service account name for --api-token", "bootstrap-admin")
  .option("--force", "issue a break-glass link even though an admin exists")
  .action(async (o: { apiToken?: boolean; name: string; force?: boolean }) => exit(await bootstrapCommand(o)));
program
  .command("apply")
  .description("apply a declarative configuration file (idempotent)")
  .requiredOption("-f, --file <file>", "YAML file")
  .option("--dry-run", "print the changes without making them")
  .action(async (o: { file: string; dryRun?: boolean }) => exit(await applyCommand(o)));
program
  .command("export")
  .description("write the current configuration as YAML (never includes secrets)")
  .option("-o, --output <file>", "output file (default: stdout)")
  .action(async (o: { output?: string }) => exit(await exportCommand(o)));

program.parseAsync().catch((e: unknown) => {
  console.error(`error: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
});
