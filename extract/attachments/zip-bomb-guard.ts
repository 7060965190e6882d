// Refuses ZIP-based documents (DOCX, XLSX, OFD) that would expand past the limits, checking the
// central directory's declared sizes and then inflating every entry under a cap that enforces them.
import { AttachmentError, type AttachmentFormat, type AttachmentLimits } from "./attachment-result.ts";
import { listZip, readZipEntry, ZipFormatError } from "./zip-directory.ts";

const BIG_ENTRY_BYTES = 1024 * 1024;

export function guardZip(bytes: Uint8Array, format: AttachmentFormat, limits: AttachmentLimits): void {
  let entries: ReturnType<typeof listZip>;
  try {
    entries = listZip(bytes);
  } catch (err) {
    throw new AttachmentError(
      "corrupt",
      format,
      `the ${format.toUpperCase()} file is not a readable zip: ${(err as Error).message}`,
      "the download may be truncated; fetch it again",
    );
  }
  let total = 0;
  for (const e of entries) {
    total += e.uncompressedSize;
    const ratio = e.uncompressedSize / Math.max(1, e.compressedSize);
    if (!Number.isFinite(e.uncompressedSize) || total > limits.maxUnzippedBytes) {
      throw new AttachmentError(
        "zip_bomb",
        format,
        `the ${format.toUpperCase()} file would expand to more than ${limits.maxUnzippedBytes} bytes (${e.name} declares ${e.uncompressedSize})`,
        "this is not a real report document; it was refused unopened",
      );
    }
    if (e.uncompressedSize > BIG_ENTRY_BYTES && ratio > limits.maxZipRatio) {
      throw new AttachmentError(
        "zip_bomb",
        format,
        `${e.name} inside the ${format.toUpperCase()} file compresses ${Math.round(ratio)}:1, beyond any real document`,
        "this is not a real report document; it was refused unopened",
      );
    }
  }
  // Declared sizes can lie: inflate each entry with the output capped at what it declares.
  for (const e of entries) {
    try {
      readZipEntry(bytes, e);
    } catch (err) {
      const lying = err instanceof RangeError || /inflates past|buffer/i.test((err as Error).message);
      if (lying) {
        throw new AttachmentError(
          "zip_bomb",
          format,
          `${e.name} inflates past the size its directory declares`,
          "this is not a real report document; it was refused",
        );
      }
      const msg = err instanceof ZipFormatError ? err.message : (err as Error).message;
      throw new AttachmentError(
        "corrupt",
        format,
        `the ${format.toUpperCase()} file is damaged: ${msg}`,
        "the download may be truncated; fetch it again",
      );
    }
  }
}
