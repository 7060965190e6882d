// Lists the stream names of an OLE compound file (DOC, XLS, WPS, ET) by scanning its directory
// entries, enough to tell a Word document from a workbook without a full CFB reader.

const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

export function isOle(bytes: Uint8Array): boolean {
  return bytes.length >= 512 && OLE_MAGIC.every((b, i) => bytes[i] === b);
}

/**
 * Directory entries are 128-byte records inside sectors (512 or 4096 bytes, both multiples of 128),
 * so every entry starts at a 128-aligned offset: a UTF-16LE name there whose length field agrees is
 * taken as a stream or storage name.
 */
export function oleStreamNames(bytes: Uint8Array): Set<string> {
  const names = new Set<string>();
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let off = 512; off + 128 <= bytes.length; off += 128) {
    const nameLen = dv.getUint16(off + 64, true);
    const type = bytes[off + 66];
    if (nameLen < 4 || nameLen > 64 || nameLen % 2 !== 0 || (type !== 1 && type !== 2 && type !== 5))
      continue;
    let name = "";
    let ok = true;
    for (let i = 0; i < nameLen / 2 - 1; i++) {
      const c = dv.getUint16(off + i * 2, true);
      if (c === 0 || (c < 0x20 && c > 6)) {
        ok = false;
        break;
      }
      name += String.fromCharCode(c);
    }
    if (ok && dv.getUint16(off + nameLen - 2, true) === 0) names.add(name);
  }
  return names;
}
