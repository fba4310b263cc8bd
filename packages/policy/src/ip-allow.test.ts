import { describe, expect, it } from "vitest";
import { ipAllowed, isValidIpRule } from "./ip-allow";

describe("ip allow-lists", () => {
  it("matches IPv4 addresses and ranges, including IPv4-mapped IPv6 clients", () => {
    expect(ipAllowed(["10.0.0.0/8"], "10.1.2.3")).toBe(true);
    expect(ipAllowed(["10.0.0.0/8"], "11.1.2.3")).toBe(false);
    expect(ipAllowed(["127.0.0.1"], "::ffff:127.0.0.1")).toBe(true);
    expect(ipAllowed(["192.168.1.0/24"], "192.168.2.1")).toBe(false);
    expect(ipAllowed(["0.0.0.0/0"], "8.8.8.8")).toBe(true);
  });
  it("matches IPv6", () => {
    expect(ipAllowed(["2001:db8::/32"], "2001:db8:1::5")).toBe(true);
    expect(ipAllowed(["2001:db8::/32"], "2001:db9::1")).toBe(false);
    expect(ipAllowed(["::1"], "::1")).toBe(true);
    expect(ipAllowed(["::1"], "127.0.0.1")).toBe(false);
  });
  it("allows all with an empty list and nothing for garbage", () => {
    expect(ipAllowed([], "1.2.3.4")).toBe(true);
    expect(ipAllowed(["10.0.0.0/8"], "not-an-ip")).toBe(false);
    expect(isValidIpRule("10.0.0.0/33")).toBe(false);
    expect(isValidIpRule("fe80::1/64")).toBe(true);
    expect(isValidIpRule("999.1.1.1")).toBe(false);
  });
});
