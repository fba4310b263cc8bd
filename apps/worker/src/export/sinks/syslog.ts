import { connect as netConnect, type Socket } from "node:net";
import { connect as tlsConnect } from "node:tls";
import { hostname as osHostname } from "node:os";
import { formatSyslogMessage, frameOctetCounting } from "@portcullis/audit";
import type { SyslogSinkConfig } from "../config";
import { SinkError, type ResolveSecret, type SinkClient } from "../sink";

/**
 * RFC 5424 messages over TCP or TLS with octet-counting framing (RFC 6587 §3.4.1; RFC 5425
 * for TLS). One persistent connection, re-opened after any error or close.
 *
 * A batch counts as delivered once the kernel accepted every byte (the write callback): syslog
 * has no application-level acknowledgement, so records in flight when a collector crashes can
 * be lost on its side. Closing the connection on any socket event and re-sending the whole
 * batch on error keeps the window small; duplicates are possible (at least once).
 */
export function createSyslogSink(config: SyslogSinkConfig, resolveSecret: ResolveSecret): SinkClient {
  let socket: Socket | undefined;
  let broken: Error | undefined;
  const format = { hostname: config.hostname ?? osHostname(), appName: config.appName, procId: String(process.pid), facility: config.facility, sdId: config.sdId };

  const open = async (): Promise<Socket> => {
    if (socket && !broken && !socket.destroyed) return socket;
    socket?.destroy();
    broken = undefined;
    const key = config.transport === "tls" && config.tls.keyRef ? await resolveSecret(config.tls.keyRef) : undefined;
    const s = await new Promise<Socket>((resolve, reject) => {
      const onError = (e: Error) => {
        s.destroy();
        reject(new SinkError(`syslog ${config.host}:${config.port}: ${e.message}`, false));
      };
      const timer = setTimeout(() => onError(new Error(`no connection within ${config.connectTimeoutMs} ms`)), config.connectTimeoutMs);
      const ready = () => {
        clearTimeout(timer);
        s.off("error", onError);
        resolve(s);
      };
      const s =
        config.transport === "tls"
          ? tlsConnect({
              host: config.host,
              port: config.port,
              ca: config.tls.ca,
              cert: config.tls.cert,
              key,
              servername: config.tls.servername ?? config.host,
              rejectUnauthorized: config.tls.rejectUnauthorized,
            }, ready)
          : netConnect({ host: config.host, port: config.port }, ready);
      s.once("error", onError);
    });
    // The collector never talks back; any event means the connection is no longer usable.
    const mark = (e?: Error) => {
      broken = e ?? new Error("connection closed by the collector");
    };
    s.on("error", mark);
    s.on("close", () => mark());
    s.on("end", () => mark());
    s.on("data", () => {});
    s.setNoDelay(true);
    socket = s;
    return s;
  };

  return {
    async send(records) {
      let payload: Buffer;
      try {
        payload = Buffer.concat(records.map((r) => frameOctetCounting(formatSyslogMessage(r, format))));
      } catch (e) {
        throw new SinkError(`cannot format syslog message: ${(e as Error).message}`, true);
      }
      const s = await open();
      await new Promise<void>((resolve, reject) => {
        s.write(payload, (err) => {
          if (err || broken) {
            s.destroy();
            reject(new SinkError(`syslog ${config.host}:${config.port}: ${(err ?? broken)?.message}`, false));
          } else resolve();
        });
      });
    },
    async close() {
      const s = socket;
      socket = undefined;
      if (!s || s.destroyed) return;
      await new Promise<void>((resolve) => s.end(resolve));
    },
  };
}
