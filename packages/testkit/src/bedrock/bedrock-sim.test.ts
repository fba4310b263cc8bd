import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import { encodeFrame } from "./event-stream-frame";
import { verifySigV4 } from "./sigv4-verify";

const suiteKey = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", sessionToken: "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267" };
const suiteNow = new Date("2015-08-30T12:36:00Z");

// AWS SigV4 test suite, get-vanilla-with-session-token, as a server receives it.
function suiteRequest(signature: string): IncomingMessage {
  return {
    method: "GET",
    url: "/",
    headers: {
      host: "example.amazonaws.com",
      "x-amz-date": "20150830T123600Z",
      "x-amz-security-token": suiteKey.sessionToken,
      authorization: `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date;x-amz-security-token, Signature=${signature}`,
    },
  } as unknown as IncomingMessage;
}

describe("simulator SigV4 verification", () => {
  it("accepts AWS's published signature and rejects any other", () => {
    const good = "07ec1639c89043aa0e3e2de82b96708f198cceab042d4a97044c66dd9f74e7f8";
    expect(verifySigV4(suiteRequest(good), Buffer.alloc(0), [suiteKey], suiteNow)).toEqual({ ok: true, region: "us-east-1", service: "service" });
    const bad = verifySigV4(suiteRequest(good.replace(/^0/, "1")), Buffer.alloc(0), [suiteKey], suiteNow);
    expect(bad).toMatchObject({ ok: false, type: "InvalidSignatureException" });
  });

  it("rejects a stale date, an unknown key and a missing header", () => {
    const good = "07ec1639c89043aa0e3e2de82b96708f198cceab042d4a97044c66dd9f74e7f8";
    expect(verifySigV4(suiteRequest(good), Buffer.alloc(0), [suiteKey], new Date("2015-08-30T13:00:00Z"))).toMatchObject({ ok: false, message: expect.stringMatching(/^Signature expired/) });
    expect(verifySigV4(suiteRequest(good), Buffer.alloc(0), [{ ...suiteKey, accessKeyId: "OTHER" }], suiteNow)).toMatchObject({ ok: false, type: "UnrecognizedClientException" });
    const noAuth = { method: "GET", url: "/", headers: {} } as unknown as IncomingMessage;
    expect(verifySigV4(noAuth, Buffer.alloc(0), [suiteKey], suiteNow)).toMatchObject({ ok: false, type: "MissingAuthenticationTokenException" });
  });
});

describe("simulator event-stream frames", () => {
  it("reproduce the published frame for {\"foo\": \"bar\"} with a content-type header", () => {
    const frame = encodeFrame({ "content-type": "application/json" }, Buffer.from('{"foo": "bar"}'));
    expect(Array.from(frame.subarray(0, 12))).toEqual([0, 0, 0, 62, 0, 0, 0, 32, 64, 93, 249, 70]);
    expect(Array.from(frame.subarray(-4))).toEqual([111, 162, 191, 59]);
  });
});
