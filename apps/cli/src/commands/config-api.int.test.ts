import { hashVirtualKey } from "@portcullis/core";
import { createPrisma, readConfigVersion, type PrismaClient } from "@portcullis/db";
import { parseConfig, type ConfigFileError } from "@portcullis/declarative";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createMatrixSeed, type MatrixSeed } from "../../../console/src/server/testing/matrix-seed";
import { stubServices } from "../../../console/src/server/testing/stub-services";
import { runCommand, serveConsoleApi, serviceAccountToken, type ConsoleApiServer } from "./api-test-server";
import { applyCommand } from "./apply";
import { exportCommand } from "./export";

const pepper = "cli-config-pepper-".padEnd(40, "c");
const published: bigint[] = [];
let prisma: PrismaClient;
let s: MatrixSeed;
let server: ConsoleApiServer;
let url: string;
let dir: string;
const services = stubServices({ keyPepper: pepper, publishConfigChange: async (v) => void published.push(v) });

/** Runs a command function and returns its exit code with what it printed (stdout writes included). */
const run = (command: () => Promise<number>) => runCommand(command, { stdout: true });

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

let admin: { id: string; token: string };
let security: { id: string; token: string };
let developer: { id: string; token: string };

beforeAll(async () => {
  prisma = createPrisma(process.env.DATABASE_URL ?? "", { max: 4 });
  s = await createMatrixSeed(prisma, pepper);
  server = await serveConsoleApi({ prisma, services });
  url = server.url;
  dir = mkdtempSync(join(tmpdir(), "portcullis-config-api-"));
  admin = await serviceAccountToken(prisma, s, "Admin");
  security = await serviceAccountToken(prisma, s, "Security");
  developer = await serviceAccountToken(prisma, s, "Developer");
});

afterEach(() => vi.restoreAllMocks());

afterAll(async () => {
  await server?.close();
  await prisma?.$disconnect();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("portcullis apply and export through the management API", () => {
  const names = () => ({ customer: s.unique("Acme"), team: s.unique("ml"), key: s.unique("notebooks") });
  const configText = (n: ReturnType<typeof names>) => `apiVersion: portcullis/v1
customers:
  - name: ${n.customer}
teams:
  - slug: ${n.team}
    name: ML research
    customer: ${n.customer}
    budgets:
      - period: month
        limit: 500
virtualKeys:
  - name: ${n.key}
    team: ${n.team}
    allowedModels: [gpt-4o-mini]
`;

  it("plans a dry run without changing anything, then applies it as the token's service account", async () => {
    const n = names();
    const path = file("dry.yaml", configText(n));
    const versionBefore = await readConfigVersion(prisma);

    const dry = await run(() => applyCommand({ file: path, dryRun: true, url, token: admin.token }));
    expect(dry).toMatchObject({ code: 0, err: "" });
    expect(dry.out).toBe(
      [
        `+ customer ${n.customer}  (customers[0])`,
        `+ team ${n.team}  (teams[0])`,
        `+ budget team ${n.team} month budget: $500.00`,
        `+ virtual key ${n.key}  (virtualKeys[0])`,
        "4 change(s), 0 unchanged",
        "dry run: nothing was changed",
      ].join("\n"),
    );
    expect(await readConfigVersion(prisma)).toBe(versionBefore);
    expect(await prisma.team.count({ where: { slug: n.team } })).toBe(0);

    const applied = await run(() => applyCommand({ file: path, url, token: admin.token }));
    expect(applied).toMatchObject({ code: 0, err: "" });
    const version = versionBefore + 1n;
    expect(applied.out).toContain(`4 change(s), 0 unchanged\napplied: configuration version ${version}\nnew virtual key "${n.key}" (shown once, store it now): pck_`);
    expect(await readConfigVersion(prisma)).toBe(version);
    expect(published.at(-1)).toBe(version);

    const secret = /: (pck_\S+)$/m.exec(applied.out)![1]!;
    const key = await prisma.virtualKey.findFirstOrThrow({ where: { name: n.key }, include: { team: true } });
    expect(key.keyHash).toBe(hashVirtualKey(pepper, secret));
    expect(key.team?.slug).toBe(n.team);
    const team = await prisma.team.findUniqueOrThrow({ where: { slug: n.team } });
    const events = await prisma.auditEvent.findMany({ where: { targetId: { in: [team.id, key.id] } }, orderBy: { seq: "asc" } });
    expect(events.map((e) => e.action)).toEqual(["team.create", "virtual_key.create"]);
    for (const e of events) {
      expect(e).toMatchObject({ actorType: "service_account", actorId: admin.id, ip: "127.0.0.1" });
      expect(e.metadata).toMatchObject({ source: "portcullis apply", via: "api" });
    }
    expect(JSON.stringify(events, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v))).not.toContain(secret);

    const again = await run(() => applyCommand({ file: path, url, token: admin.token }));
    expect(again).toEqual({ code: 0, out: "0 change(s), 4 unchanged", err: "" });
    expect(await readConfigVersion(prisma)).toBe(version);
  });

  it("exports the configuration without secrets, and the export applies as no change", async () => {
    const n = names();
    expect((await run(() => applyCommand({ file: file("export-src.yaml", configText(n)), url, token: admin.token }))).code).toBe(0);

    const stdout = await run(() => exportCommand({ url, token: admin.token }));
    expect(stdout.code).toBe(0);
    expect(stdout.out).toContain(`- slug: ${n.team}`);
    expect(stdout.out).not.toMatch(/pck_[0-9A-Za-z]{20}/);

    const out = join(dir, "exported.yaml");
    const written = await run(() => exportCommand({ output: out, url, token: admin.token }));
    expect(written).toEqual({ code: 0, out: "", err: `wrote ${out}` });
    expect(readFileSync(out, "utf8")).toBe(stdout.out);

    const versionBefore = await readConfigVersion(prisma);
    const roundTrip = await run(() => applyCommand({ file: out, dryRun: true, url, token: admin.token }));
    expect(roundTrip.err).toBe("");
    expect(roundTrip.out).toMatch(/^0 change\(s\), \d+ unchanged\ndry run: nothing was changed$/);
    expect(await readConfigVersion(prisma)).toBe(versionBefore);
  });

  it("prints the server's problems with file:line:column and path, exactly as the local check does", async () => {
    const invalid = "apiVersion: portcullis/v1\nteams:\n  - slug: ML Research\n    name: ML\n    colour: blue\n";
    const path = file("invalid.yaml", invalid);
    let local = "";
    try {
      parseConfig(path, invalid);
    } catch (e) {
      local = (e as ConfigFileError).message;
    }
    expect(local).toContain(`${path}:3:11: teams[0].slug: lower-case letters, digits and '-'`);
    const r = await run(() => applyCommand({ file: path, url, token: admin.token }));
    expect(r).toEqual({ code: 1, out: "", err: local });

    // A reference to nothing is found while planning against the database: also the server's, also located.
    const dangling = file("dangling.yaml", `apiVersion: portcullis/v1\nvirtualKeys:\n  - name: ${s.unique("k")}\n    team: no-such-team-${s.unique("t")}\n`);
    const ref = await run(() => applyCommand({ file: dangling, dryRun: true, url, token: admin.token }));
    expect(ref.code).toBe(1);
    expect(ref.err).toMatch(new RegExp(`^${dangling.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:4:11: virtualKeys\\[0\\]\\.team: unknown team "no-such-team-`));

    const missing = await run(() => applyCommand({ file: join(dir, "nope.yaml"), url, token: admin.token }));
    expect(missing).toEqual({ code: 1, out: "", err: `${join(dir, "nope.yaml")}: cannot read: ENOENT` });
  });

  it("refuses apply to a role without config.apply and export to a role without config.export, changing nothing", async () => {
    const n = names();
    const path = file("denied.yaml", configText(n));
    const versionBefore = await readConfigVersion(prisma);
    const r = await run(() => applyCommand({ file: path, url, token: security.token }));
    expect(r).toEqual({ code: 1, out: "", err: "error: API 403 FORBIDDEN on POST /api/v1/config/apply: Missing permission: config.apply." });
    expect(await prisma.team.count({ where: { slug: n.team } })).toBe(0);
    expect(await readConfigVersion(prisma)).toBe(versionBefore);

    const e = await run(() => exportCommand({ url, token: developer.token }));
    expect(e).toEqual({ code: 1, out: "", err: "error: API 403 FORBIDDEN on GET /api/v1/config/export: Missing permission: config.export." });
  });
});
