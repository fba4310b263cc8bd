import { randomBytes } from "node:crypto";
import { newId } from "@portcullis/core";
import { createPrisma, type PrismaClient } from "@portcullis/db";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { hashBootstrapToken, redeemBootstrapToken } from "./bootstrap-login";
import { closeConsoleSession, loadViewer } from "./console-sessions";
import { completeOidcLogin, type OidcIdentity } from "./oidc-login";
import { ensureBuiltInRoles } from "../testing/seed";

const meta = { ip: "203.0.113.7", userAgent: "vitest" };
const ttlSeconds = 3600;
const domain = "flows.test";

let prisma: PrismaClient;

beforeAll(() => {
  prisma = createPrisma(process.env.DATABASE_URL ?? "", { max: 6 });
});

afterAll(async () => {
  await prisma?.$disconnect();
});

beforeEach(async () => {
  // Users cascade to their sessions and bindings; audit events are history and stay.
  await prisma.user.deleteMany({ where: { OR: [{ isBootstrapAdmin: true }, { email: { endsWith: `@${domain}` } }] } });
  await prisma.bootstrapToken.deleteMany({});
});

async function issueToken(expiresInMs = 60_000): Promise<string> {
  const raw = randomBytes(32).toString("base64url");
  await prisma.bootstrapToken.create({
    data: { id: newId("bootstrap"), tokenHash: hashBootstrapToken(raw), expiresAt: new Date(Date.now() + expiresInMs) },
  });
  return raw;
}

const redeem = (raw: string) => redeemBootstrapToken(prisma, raw, { adminEmail: `admin@${domain}`, ttlSeconds, meta });

describe("redeemBootstrapToken", () => {
  it("signs in the bootstrap admin as a global Owner, consumes the token and audits it", async () => {
    const raw = await issueToken();
    const result = await redeem(raw);
    if (!result.ok) throw new Error(`expected success, got ${result.reason}`);

    const admin = await prisma.user.findUniqueOrThrow({
      where: { id: result.user.id },
      include: { roleBindings: { include: { role: true } } },
    });
    expect(admin).toMatchObject({ email: `admin@${domain}`, isBootstrapAdmin: true, status: "active" });
    expect(admin.lastLoginAt).not.toBeNull();
    expect(admin.roleBindings.map((b) => [b.role.name, b.teamId])).toEqual([["Owner", null]]);

    const token = await prisma.bootstrapToken.findUniqueOrThrow({ where: { tokenHash: hashBootstrapToken(raw) } });
    expect(token.usedAt).not.toBeNull();

    const session = await prisma.consoleSession.findUniqueOrThrow({ where: { id: result.sessionId } });
    expect(session).toMatchObject({ userId: admin.id, ip: meta.ip, userAgent: meta.userAgent, revokedAt: null });
    expect(session.expiresAt.getTime() - session.createdAt.getTime()).toBeGreaterThan((ttlSeconds - 5) * 1000);

    const event = await prisma.auditEvent.findFirstOrThrow({ where: { action: "auth.bootstrap_login", targetId: admin.id } });
    expect(event).toMatchObject({ actorType: "user", actorId: admin.id, ip: meta.ip, outcome: "success" });
  });

  it("refuses the same token twice", async () => {
    const raw = await issueToken();
    expect((await redeem(raw)).ok).toBe(true);
    expect(await redeem(raw)).toEqual({ ok: false, reason: "invalid_token" });
    expect(await prisma.consoleSession.count({ where: { user: { isBootstrapAdmin: true } } })).toBe(1);
  });

  it("refuses unknown and expired tokens", async () => {
    expect(await redeem("not-a-token-that-was-ever-issued")).toEqual({ ok: false, reason: "invalid_token" });
    const expired = await issueToken(-1000);
    expect(await redeem(expired)).toEqual({ ok: false, reason: "invalid_token" });
    expect(await prisma.user.count({ where: { isBootstrapAdmin: true } })).toBe(0);
  });

  it("lets exactly one of several concurrent redemptions win", async () => {
    const raw = await issueToken();
    const results = await Promise.all(Array.from({ length: 5 }, () => redeem(raw)));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(await prisma.consoleSession.count({ where: { user: { isBootstrapAdmin: true } } })).toBe(1);
  });

  it("refuses a disabled bootstrap admin and leaves the token unused", async () => {
    await prisma.user.create({
      data: { id: newId("user"), email: `admin@${domain}`, isBootstrapAdmin: true, status: "disabled" },
    });
    const raw = await issueToken();
    expect(await redeem(raw)).toEqual({ ok: false, reason: "admin_disabled" });
    const token = await prisma.bootstrapToken.findUniqueOrThrow({ where: { tokenHash: hashBootstrapToken(raw) } });
    expect(token.usedAt).toBeNull();
    expect(await prisma.consoleSession.count({ where: { user: { isBootstrapAdmin: true } } })).toBe(0);
  });
});

describe("console sessions", () => {
  async function signedInAdmin() {
    const result = await redeem(await issueToken());
    if (!result.ok) throw new Error(result.reason);
    return result;
  }

  it("loads the viewer with the Owner's permissions", async () => {
    const { sessionId, user } = await signedInAdmin();
    const viewer = await loadViewer(prisma, sessionId);
    expect(viewer?.user).toMatchObject({ id: user.id, isBootstrapAdmin: true });
    expect(viewer?.bindings).toHaveLength(1);
    expect(viewer?.bindings[0]).toMatchObject({ role: "Owner", teamId: null });
    expect(viewer?.bindings[0]?.permissions).toContain("sso.update");
  });

  it("is dead after sign-out, which is audited once", async () => {
    const { sessionId, user } = await signedInAdmin();
    await closeConsoleSession(prisma, sessionId, meta);
    await closeConsoleSession(prisma, sessionId, meta);
    expect(await loadViewer(prisma, sessionId)).toBeNull();
    expect(await prisma.auditEvent.count({ where: { action: "auth.sign_out", actorId: user.id } })).toBe(1);
  });

  it("is dead once expired, when its user is disabled, or when unknown", async () => {
    const { sessionId, user } = await signedInAdmin();
    const later = new Date(Date.now() + (ttlSeconds + 1) * 1000);
    expect(await loadViewer(prisma, sessionId, later)).toBeNull();
    await prisma.user.update({ where: { id: user.id }, data: { status: "disabled" } });
    expect(await loadViewer(prisma, sessionId)).toBeNull();
    expect(await loadViewer(prisma, "ses_unknown")).toBeNull();
  });
});

describe("completeOidcLogin", () => {
  let roles: Awaited<ReturnType<typeof ensureBuiltInRoles>>;
  const teamA = `team_flows_a`;
  const teamB = `team_flows_b`;

  beforeEach(async () => {
    roles = await ensureBuiltInRoles(prisma);
    await prisma.idpGroupMapping.deleteMany({ where: { groupName: { startsWith: "flows-" } } });
    await prisma.team.deleteMany({ where: { id: { in: [teamA, teamB] } } });
    await prisma.team.createMany({
      data: [
        { id: teamA, name: "Flows A", slug: "flows-a" },
        { id: teamB, name: "Flows B", slug: "flows-b" },
      ],
    });
    await prisma.idpGroupMapping.createMany({
      data: [
        { groupName: "flows-eng", roleId: roles.Viewer, teamId: null },
        { groupName: "flows-finance", roleId: roles.Finance, teamId: null },
        { groupName: "flows-a-devs", roleId: roles.Developer, teamId: teamA },
        { groupName: "flows-b-devs", roleId: roles.Developer, teamId: teamB },
      ],
    });
  });

  const identity = (over: Partial<OidcIdentity> = {}): OidcIdentity => ({
    subject: "idp|alice",
    email: `Alice@${domain}`,
    emailVerified: true,
    name: "Alice",
    groups: ["flows-eng"],
    ...over,
  });
  const login = (id: OidcIdentity) => completeOidcLogin(prisma, id, { ttlSeconds, meta });

  async function assignments(userId: string) {
    const user = await prisma.user.findUniqueOrThrow({
      where: { id: userId },
      include: { roleBindings: { include: { role: true } }, memberships: true },
    });
    return {
      bindings: user.roleBindings.map((b) => `${b.role.name}@${b.teamId ?? "global"}:${b.source}`).sort(),
      teams: user.memberships.map((m) => `${m.teamId}:${m.source}`).sort(),
    };
  }

  it("creates the user on first login with the roles their groups map to, and audits it", async () => {
    const result = await login(identity());
    if (!result.ok) throw new Error(result.reason);
    const user = await prisma.user.findUniqueOrThrow({ where: { id: result.user.id } });
    expect(user).toMatchObject({ email: `alice@${domain}`, idpSubject: "idp|alice", isBootstrapAdmin: false });
    expect(await assignments(user.id)).toEqual({ bindings: ["Viewer@global:idp"], teams: [] });
    expect((await loadViewer(prisma, result.sessionId))?.bindings.map((b) => b.role)).toEqual(["Viewer"]);
    const event = await prisma.auditEvent.findFirstOrThrow({
      where: { action: "auth.sign_in", actorId: user.id },
      orderBy: { seq: "desc" },
    });
    expect(event.metadata).toMatchObject({ provider: "oidc", groups: ["flows-eng"], sessionId: result.sessionId });
    const sync = await prisma.auditEvent.findFirstOrThrow({ where: { action: "role_binding.sync", targetId: user.id } });
    expect(sync.after).toMatchObject({ added: [{ roleName: "Viewer", teamId: null }] });
  });

  it("grants team roles with membership, and applies removals at the next sign-in", async () => {
    const first = await login(identity({ groups: ["flows-a-devs", "flows-finance", "unmapped"] }));
    if (!first.ok) throw new Error(first.reason);
    expect(await assignments(first.user.id)).toEqual({
      bindings: [`Developer@${teamA}:idp`, "Finance@global:idp"],
      teams: [`${teamA}:idp`],
    });

    const second = await login(identity({ groups: ["flows-b-devs"] }));
    if (!second.ok) throw new Error(second.reason);
    expect(await assignments(first.user.id)).toEqual({ bindings: [`Developer@${teamB}:idp`], teams: [`${teamB}:idp`] });
    // The first session is still open, but its permissions are read live: Finance is gone from it too.
    expect((await loadViewer(prisma, first.sessionId))?.bindings.map((b) => `${b.role}@${b.teamId}`)).toEqual([`Developer@${teamB}`]);
  });

  it("leaves manual bindings and memberships alone and never duplicates them", async () => {
    const first = await login(identity());
    if (!first.ok) throw new Error(first.reason);
    await prisma.roleBinding.create({ data: { userId: first.user.id, roleId: roles.Developer, teamId: teamA, source: "manual" } });
    await prisma.teamMembership.create({ data: { userId: first.user.id, teamId: teamA, source: "manual" } });

    const second = await login(identity({ groups: ["flows-a-devs"] }));
    if (!second.ok) throw new Error(second.reason);
    expect(await assignments(first.user.id)).toEqual({ bindings: [`Developer@${teamA}:manual`], teams: [`${teamA}:manual`] });

    // No group matches any more, but the manual grant still admits the user.
    const third = await login(identity({ groups: [] }));
    expect(third.ok).toBe(true);
    expect(await assignments(first.user.id)).toEqual({ bindings: [`Developer@${teamA}:manual`], teams: [`${teamA}:manual`] });
  });

  it("refuses a user whose groups map to nothing: no session, no role, audited as denied", async () => {
    const result = await login(identity({ subject: "idp|oscar", email: `oscar@${domain}`, groups: ["marketing"] }));
    expect(result).toEqual({ ok: false, reason: "no_access" });
    const user = await prisma.user.findUniqueOrThrow({ where: { email: `oscar@${domain}` } });
    expect(await assignments(user.id)).toEqual({ bindings: [], teams: [] });
    expect(await prisma.consoleSession.count({ where: { userId: user.id } })).toBe(0);
    const event = await prisma.auditEvent.findFirstOrThrow({ where: { action: "auth.sign_in", actorId: user.id } });
    expect(event).toMatchObject({ outcome: "denied", metadata: expect.objectContaining({ reason: "no_access", groups: ["marketing"] }) });
  });

  it("takes every role away from a user who lost their groups, and refuses them", async () => {
    const first = await login(identity({ groups: ["flows-finance"] }));
    if (!first.ok) throw new Error(first.reason);
    expect(await login(identity({ groups: [] }))).toEqual({ ok: false, reason: "no_access" });
    expect(await assignments(first.user.id)).toEqual({ bindings: [], teams: [] });
    // The earlier session has no permission left either.
    expect((await loadViewer(prisma, first.sessionId))?.bindings).toEqual([]);
  });

  it("finds the same user again by subject", async () => {
    const first = await login(identity());
    const second = await login(identity({ email: `alice.renamed@${domain}`, name: "Alice R." }));
    expect(first.ok && second.ok && first.user.id === second.user.id).toBe(true);
  });

  it("links an existing console user by verified e-mail", async () => {
    const id = newId("user");
    await prisma.user.create({ data: { id, email: `alice@${domain}` } });
    const result = await login(identity());
    expect(result.ok && result.user.id).toBe(id);
    expect((await prisma.user.findUniqueOrThrow({ where: { id } })).idpSubject).toBe("idp|alice");
  });

  it("refuses to link an unverified e-mail or one bound to another subject", async () => {
    await prisma.user.create({ data: { id: newId("user"), email: `alice@${domain}` } });
    expect(await login(identity({ emailVerified: false }))).toEqual({ ok: false, reason: "identity_conflict" });
    await prisma.user.update({ where: { email: `alice@${domain}` }, data: { idpSubject: "idp|someone-else" } });
    expect(await login(identity())).toEqual({ ok: false, reason: "identity_conflict" });
  });

  it("refuses a disabled user, opens no session and audits the refusal", async () => {
    const first = await login(identity());
    if (!first.ok) throw new Error(first.reason);
    await prisma.user.update({ where: { id: first.user.id }, data: { status: "disabled" } });
    expect(await login(identity())).toEqual({ ok: false, reason: "user_disabled" });
    expect(await prisma.consoleSession.count({ where: { userId: first.user.id } })).toBe(1);
    expect(
      await prisma.auditEvent.count({ where: { action: "auth.sign_in", actorId: first.user.id, outcome: "denied" } }),
    ).toBe(1);
  });
});
