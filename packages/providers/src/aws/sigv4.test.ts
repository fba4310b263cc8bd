import { describe, expect, it } from "vitest";
import { deriveSigningKey, encodeCanonicalUri, formatAmzDate, signAwsRequest } from "./sigv4";

// The credentials, scope and clock of AWS's published SigV4 test suite.
const suite = {
  region: "us-east-1",
  service: "service",
  credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" },
  now: new Date("2015-08-30T12:36:00Z"),
  contentSha256Header: false,
  body: "",
};
const credentialPrefix = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request";

describe("SigV4 test-suite vectors", () => {
  it("get-vanilla", () => {
    const r = signAwsRequest({ ...suite, method: "GET", url: "https://example.amazonaws.com/", headers: {} });
    expect(r.canonicalRequest).toBe(
      "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n" +
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    );
    expect(r.stringToSign).toBe(
      "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n" +
        "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63",
    );
    expect(r.headers.authorization).toBe(
      `${credentialPrefix}, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31`,
    );
    expect(r.headers["x-amz-date"]).toBe("20150830T123600Z");
  });

  it("get-vanilla-query-order-key-case sorts the query", () => {
    const r = signAwsRequest({ ...suite, method: "GET", url: "https://example.amazonaws.com/?Param2=value2&Param1=value1", headers: {} });
    expect(r.canonicalRequest.split("\n")[2]).toBe("Param1=value1&Param2=value2");
    expect(r.signature).toBe("b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500");
  });

  it("post-vanilla", () => {
    const r = signAwsRequest({ ...suite, method: "POST", url: "https://example.amazonaws.com/", headers: {} });
    expect(r.signature).toBe("5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b");
  });

  it("get-vanilla-with-session-token signs x-amz-security-token", () => {
    const r = signAwsRequest({
      ...suite,
      credentials: { ...suite.credentials, sessionToken: "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267" },
      method: "GET",
      url: "https://example.amazonaws.com/",
      headers: {},
    });
    expect(r.headers["x-amz-security-token"]).toBe("6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267");
    expect(r.headers.authorization).toBe(
      `${credentialPrefix}, SignedHeaders=host;x-amz-date;x-amz-security-token, ` +
        "Signature=07ec1639c89043aa0e3e2de82b96708f198cceab042d4a97044c66dd9f74e7f8",
    );
  });

  it("get-header-value-trim trims and collapses header whitespace", () => {
    const r = signAwsRequest({
      ...suite,
      method: "GET",
      url: "https://example.amazonaws.com/",
      headers: { "My-Header1": " value1", "My-Header2": ' "a   b   c"' },
    });
    expect(r.canonicalRequest).toContain('my-header1:value1\nmy-header2:"a b c"\n');
    expect(r.signedHeaders).toBe("host;my-header1;my-header2;x-amz-date");
    expect(r.signature).toBe("acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736");
  });

  it("derives the signing key from AWS's documentation example", () => {
    expect(deriveSigningKey("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20120215", "us-east-1", "iam").toString("hex"))
      .toBe("f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d");
  });
});

describe("canonical URI", () => {
  it("encodes a raw UTF-8 path once (get-utf8)", () => {
    expect(encodeCanonicalUri("/ሴ")).toBe("/%E1%88%B4");
  });

  it("double-encodes a Bedrock model id that travels with %3A", () => {
    // Matches the canonical string Bedrock reports back in its signature-mismatch errors.
    expect(encodeCanonicalUri("/model/us.anthropic.claude-sonnet-4-20250514-v1%3A0/converse-stream"))
      .toBe("/model/us.anthropic.claude-sonnet-4-20250514-v1%253A0/converse-stream");
  });
});

describe("signAwsRequest defaults", () => {
  it("adds and signs x-amz-content-sha256 of the body, and leaves content-length unsigned", () => {
    const r = signAwsRequest({
      ...suite,
      contentSha256Header: undefined,
      method: "POST",
      url: "https://bedrock-runtime.us-east-1.amazonaws.com/model/x/converse",
      headers: { "content-type": "application/json", "content-length": "2" },
      body: "{}",
    });
    expect(r.headers["x-amz-content-sha256"]).toBe("44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a");
    expect(r.signedHeaders).toBe("content-type;host;x-amz-content-sha256;x-amz-date");
  });

  it("formats the amz date without separators or milliseconds", () => {
    expect(formatAmzDate(new Date("2024-02-29T23:59:59.987Z"))).toBe("20240229T235959Z");
  });
});
