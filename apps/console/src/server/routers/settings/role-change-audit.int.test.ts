import { createPrisma, type PrismaClient } from "@portcullis/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMatrixSeed, type MatrixSeed } from "../../testing/matrix-seed";
import { stubServices } from "../../testing/stub-services";
import { roleBinding, testCaller } from "../../testing/test-caller";

/** A role change in the console is audited with actor, action, target, before/after, IP and user agent. */

let prisma: PrismaClient;
let s: MatrixSeed;
const services = stubServices({ keyPepper: "role-audit-pepper".padEnd(40, "r") });

const meta = { ip: "203.0.113.44", userAgent: "role-audit-test/1.0" };
const owner = () => testCaller({ prisma, services, userId: s.actorUserId, bindings: [roleBinding("Owner")], label: "ra", meta });

beforeAll(async () => {
  prisma = createPrisma(process.env.DATABASE_URL ?? "", { max: 2 });
  s = await createMatrixSeed(prisma, services.keyPepper);
});
afterAll(async () => {
  await prisma?.$disconnect();
});

describe("role change audit", () => {
  it("granting and removing a role records who, what, on whom, before and after, from where", async () => {
    const userId = await s.newUser();
    await owner().settings.users.bind({ userId, roleId: s.roles.Admin, teamId: s.teams.A });
    const granted = await prisma.auditEvent.findFirstOrThrow({ where: { action: "role_binding.create", targetId: userId } });
    expect(granted).toMatchObject({ actorType: "user", actorId: s.actorUserId, targetType: "user", targetId: userId, ip: meta.ip, userAgent: meta.userAgent, outcome: "success" });
    const roles = (v: unknown) => JSON.stringify(v).includes('"Admin"');
    expect(roles(granted.before)).toBe(false);
    expect(roles(granted.after)).toBe(true);

    const binding = await prisma.roleBinding.findFirstOrThrow({ where: { userId, roleId: s.roles.Admin } });
    await owner().settings.users.unbind({ bindingId: binding.id });
    const removed = await prisma.auditEvent.findFirstOrThrow({ where: { action: "role_binding.delete", targetId: userId } });
    expect(removed).toMatchObject({ actorId: s.actorUserId, ip: meta.ip, userAgent: meta.userAgent });
    expect(roles(removed.before)).toBe(true);
    expect(roles(removed.after)).toBe(false);
  });
});
