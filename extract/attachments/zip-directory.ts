// Reads a ZIP file's central directory (names, sizes) and inflates entries under a hard output cap,
// so a ZIP bomb disguised as a DOCX is refused before any library unzips it.
import { inflateRawSync } from "node:zlib";

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
}

export class ZipFormatError extends Error {
  override name = "ZipFormatError";
}

const EOCD_SIG = 0x06054b50;
const CEN_SIG = 0x02014b50;
const LOC_SIG = 0x04034b50;

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Lists the central directory. ZIP64 markers (sizes of 0xFFFFFFFF) are reported as Infinity. */
export function listZip(bytes: Uint8Array): ZipEntry[] {
  const dv = view(bytes);
  const minStart = Math.max(0, bytes.length - 22 - 0xffff);
  let eocd = -1;
  for (let i = bytes.length - 22; i >= minStart; i--) {
    if (dv.getUint32(i, true) === EOCD_SIG) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new ZipFormatError("no end-of-central-directory record (truncated or not a zip)");
  const count = dv.getUint16(eocd + 10, true);
  const cdSize = dv.getUint32(eocd + 12, true);
  const cdOffset = dv.getUint32(eocd + 16, true);
  if (cdOffset === 0xffffffff || count === 0xffff) {
    return [
      {
        name: "(zip64)",
        method: -1,
        compressedSize: Infinity,
        uncompressedSize: Infinity,
        localHeaderOffset: 0,
      },
    ];
  }
  if (cdOffset + cdSize > bytes.length)
    throw new ZipFormatError("central directory runs past the end of the file");
  const entries: ZipEntry[] = [];
  let p = cdOffset;
  const decoder = new TextDecoder("utf-8");
  for (let n = 0; n < count; n++) {
    if (p + 46 > bytes.length || dv.getUint32(p, true) !== CEN_SIG) {
      throw new ZipFormatError(`central directory entry ${n} is damaged`);
    }
    const method = dv.getUint16(p + 10, true);
    const compressed = dv.getUint32(p + 20, true);
    const uncompressed = dv.getUint32(p + 24, true);
    const nameLen = dv.getUint16(p + 28, true);
    const extraLen = dv.getUint16(p + 30, true);
    const commentLen = dv.getUint16(p + 32, true);
    const local = dv.getUint32(p + 42, true);
    const name = decoder.decode(bytes.subarray(p + 46, p + 46 + nameLen));
    entries.push({
      name,
      method,
      compressedSize: compressed === 0xffffffff ? Infinity : compressed,
      uncompressedSize: uncompressed === 0xffffffff ? Infinity : uncompressed,
      localHeaderOffset: local,
    });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

/**
 * Inflates one entry with its output capped at the size the directory declares: an entry that
 * lies about its size fails here (zlib stops at the cap) instead of filling memory.
 */
export function readZipEntry(bytes: Uint8Array, entry: ZipEntry): Uint8Array {
  const dv = view(bytes);
  const p = entry.localHeaderOffset;
  if (p + 30 > bytes.length || dv.getUint32(p, true) !== LOC_SIG) {
    throw new ZipFormatError(`local header of ${entry.name} is missing`);
  }
  const start = p + 30 + dv.getUint16(p + 26, true) + dv.getUint16(p + 28, true);
  const end = start + entry.compressedSize;
  if (end > bytes.length) throw new ZipFormatError(`${entry.name} runs past the end of the file (truncated)`);
  const data = bytes.subarray(start, end);
  if (entry.method === 0) return data;
  if (entry.method !== 8) throw new ZipFormatError(`${entry.name} uses compression method ${entry.method}`);
  const out = inflateRawSync(data, { maxOutputLength: Math.max(1, entry.uncompressedSize) + 1 });
  if (out.length > entry.uncompressedSize) {
    throw new ZipFormatError(`${entry.name} inflates past its declared ${entry.uncompressedSize} bytes`);
  }
  return out;
}
