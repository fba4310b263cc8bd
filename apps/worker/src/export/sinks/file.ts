import { mkdir, open, rename, rm, stat, type FileHandle } from "node:fs/promises";
import { dirname } from "node:path";
import type { ExportRecord } from "@portcullis/audit";
import type { FileSinkConfig } from "../config";
import { SinkError, type SinkClient } from "../sink";

/**
 * JSONL files, one record per line, fsynced before the cursor moves. When a file reaches
 * maxBytes it is rotated: path.(n-1) -> path.n … path -> path.1, keeping maxFiles old files.
 * `{stream}` in the path gives each stream its own file.
 */
export function createFileSink(config: FileSinkConfig): SinkClient {
  const files = new Map<string, { handle: FileHandle; size: number }>();

  const target = async (path: string) => {
    let f = files.get(path);
    if (!f) {
      await mkdir(dirname(path), { recursive: true });
      const handle = await open(path, "a", 0o640);
      f = { handle, size: (await stat(path)).size };
      files.set(path, f);
    }
    return f;
  };

  const rotate = async (path: string) => {
    await files.get(path)?.handle.close();
    files.delete(path);
    await rm(`${path}.${config.maxFiles}`, { force: true });
    for (let i = config.maxFiles - 1; i >= 1; i--) await rename(`${path}.${i}`, `${path}.${i + 1}`).catch(() => {});
    await rename(path, `${path}.1`);
  };

  return {
    async send(records) {
      const byPath = new Map<string, ExportRecord[]>();
      for (const r of records) {
        const path = config.path.replaceAll("{stream}", r.stream);
        byPath.set(path, [...(byPath.get(path) ?? []), r]);
      }
      try {
        for (const [path, rs] of byPath) {
          let f = await target(path);
          if (f.size >= config.maxBytes) {
            await rotate(path);
            f = await target(path);
          }
          const data = Buffer.from(rs.map((r) => `${JSON.stringify(r)}\n`).join(""), "utf8");
          await f.handle.write(data);
          await f.handle.datasync();
          f.size += data.length;
        }
      } catch (e) {
        throw new SinkError(`file ${config.path}: ${(e as Error).message}`, false);
      }
    },
    async close() {
      for (const f of files.values()) await f.handle.close();
      files.clear();
    },
  };
}
