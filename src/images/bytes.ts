// A file's bytes and a decoded copy for the parsers, with the byte offset of every UTF-16 index of
// that copy. A byte that is not part of valid UTF-8 (a latin-1 `é`) reads as U+FFFD, but only the
// decoded copy sees that: edits are spliced into the bytes, so every other byte stays as it was.

export interface DecodedFile {
  bytes: Buffer;
  /** UTF-8 decoding of bytes; each invalid byte is one U+FFFD. */
  text: string;
  /** offsets[i]: the byte where text index i starts; offsets[text.length] = bytes.length. */
  offsets: Uint32Array;
}

const isContinuation = (b: number | undefined): boolean => b !== undefined && (b & 0xc0) === 0x80;

/** Length of the valid UTF-8 sequence at i (1-4), or 0 when the byte there starts none. */
export function sequenceLength(bytes: Buffer, i: number): number {
  const b0 = bytes[i];
  if (b0 < 0x80) return 1;
  const [b1, b2, b3] = [bytes[i + 1], bytes[i + 2], bytes[i + 3]];
  if (b0 >= 0xc2 && b0 <= 0xdf) return isContinuation(b1) ? 2 : 0;
  if (b0 >= 0xe0 && b0 <= 0xef) {
    // No overlong forms (E0 80..9F) and no surrogates (ED A0..BF).
    const ok = b0 === 0xe0 ? b1 >= 0xa0 : b0 === 0xed ? b1 < 0xa0 : true;
    return ok && isContinuation(b1) && isContinuation(b2) ? 3 : 0;
  }
  if (b0 >= 0xf0 && b0 <= 0xf4) {
    const ok = b0 === 0xf0 ? b1 >= 0x90 : b0 === 0xf4 ? b1 < 0x90 : true;
    return ok && isContinuation(b1) && isContinuation(b2) && isContinuation(b3) ? 4 : 0;
  }
  return 0;
}

export function decodeFile(bytes: Buffer): DecodedFile {
  const parts: string[] = [];
  const offsets: number[] = [];
  for (let i = 0; i < bytes.length;) {
    const n = sequenceLength(bytes, i);
    const part = n === 0 ? '\ufffd' : bytes.toString('utf8', i, i + n);
    for (let u = 0; u < part.length; u++) offsets.push(i);
    parts.push(part);
    i += n || 1;
  }
  offsets.push(bytes.length);
  return { bytes, text: parts.join(''), offsets: Uint32Array.from(offsets) };
}
