// Reads a file a user named (a page, an attachment, a registry) without trusting what it is: a FIFO
// would hang a plain read and /dev/zero would never end, so only regular files are read, and never
// past a cap, whatever stat() said about the size.
import { constants } from "node:fs";
import { type FileHandle, open } from "node:fs/promises";
import { NianbaoError } from "../core/errors.ts";

/** What a non-regular file is, in the user's words; null for a regular file. */
export function nonRegularKind(st: {
  isFile(): boolean;
  isDirectory(): boolean;
  isFIFO(): boolean;
  isCharacterDevice(): boolean;
  isBlockDevice(): boolean;
  isSocket(): boolean;
  isSymbolicLink(): boolean;
}): string | null {
  if (st.isFile()) return null;
  if (st.isDirectory()) return "a folder";
  if (st.isFIFO()) return "a FIFO (named pipe)";
  if (st.isCharacterDevice()) return "a character device";
  if (st.isBlockDevice()) return "a block device";
  if (st.isSocket()) return "a socket";
  if (st.isSymbolicLink()) return "a symbolic link";
  return "not a regular file";
}

export interface ReadUserFileOptions {
  /** How the file is named in messages (as the user typed it). */
  shown?: string;
  maxBytes: number;
  /** What to do instead, for the messages (e.g. "pass a saved page"). */
  hint: string;
  /** Read only this many bytes from the start (a type check), not the whole file. */
  headBytes?: number;
}

/** The whole file, or a NianbaoError (exit 2) naming it: missing, not a regular file, over the cap. */
export async function readUserFile(path: string, opts: ReadUserFileOptions): Promise<Buffer> {
  const shown = opts.shown ?? path;
  let handle: FileHandle;
  try {
    // O_NONBLOCK: opening a FIFO with no writer would otherwise wait forever.
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR")
      throw new NianbaoError("input_missing", `no such file: ${shown}`, opts.hint);
    throw new NianbaoError(
      "input_unreadable",
      `cannot read ${shown}: ${code ?? (err as Error).message}`,
      opts.hint,
    );
  }
  try {
    const kind = nonRegularKind(await handle.stat());
    if (kind)
      throw new NianbaoError("input_unreadable", `${shown} is ${kind}, not a regular file`, opts.hint);
    if (opts.headBytes !== undefined) {
      const head = Buffer.alloc(opts.headBytes);
      const { bytesRead } = await handle.read(head, 0, opts.headBytes, 0);
      return head.subarray(0, bytesRead);
    }
    const chunks: Buffer[] = [];
    let total = 0;
    // Read until the end, one past the cap at most: a file growing while read cannot get past it.
    for (;;) {
      const buf = Buffer.allocUnsafe(Math.min(1024 * 1024, opts.maxBytes + 1 - total));
      const { bytesRead } = await handle.read(buf, 0, buf.length, null);
      if (bytesRead === 0) break;
      chunks.push(buf.subarray(0, bytesRead));
      total += bytesRead;
      if (total > opts.maxBytes)
        throw new NianbaoError(
          "input_unreadable",
          `${shown} is over the ${opts.maxBytes}-byte limit`,
          opts.hint,
        );
    }
    return Buffer.concat(chunks, total);
  } finally {
    await handle.close();
  }
}
