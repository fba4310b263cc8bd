import { SinkError, httpStatusIsPermanent } from "../sink";

/** POSTs a body; maps the answer to success or a SinkError (permanent for 400/413/422). */
export async function postOrThrow(url: string, body: string, headers: Record<string, string>, timeoutMs: number, what: string): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(url, { method: "POST", body, headers, signal: AbortSignal.timeout(timeoutMs) });
  } catch (e) {
    throw new SinkError(`${what}: ${(e as Error).message}`, false);
  }
  if (res.ok) return res;
  const detail = (await res.text().catch(() => "")).slice(0, 300);
  throw new SinkError(`${what}: HTTP ${res.status}${detail ? ` ${detail}` : ""}`, httpStatusIsPermanent(res.status));
}
