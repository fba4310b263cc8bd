/** AWS building blocks: SigV4 request signing and the event-stream binary codec. */
export {
  signAwsRequest, deriveSigningKey, formatAmzDate, encodeCanonicalUri, canonicalQueryString, uriEncode, sha256Hex,
  type AwsCredentials, type SignRequestInput, type SignedRequest,
} from "./sigv4";
export {
  createEventStreamDecoder, encodeEventStreamMessage, headerString, EventStreamError,
  type EventStreamDecoder, type EventStreamMessage, type EventStreamHeaderValue, type EventStreamErrorKind,
} from "./event-stream";
export { crc32 } from "./crc32";
