// Text from pages (titles, sentences, file names) is untrusted: an ESC, BEL or OSC sequence printed
// as is would move the cursor, retitle the window or worse. Everything bound for the terminal passes here.

// C0 controls but tab and newline, DEL, and the C1 range (U+0080–U+009F, which some terminals act on),
// plus the bidi overrides that make a line read differently from what it holds.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** The text with every control character shown as a visible escape (ESC → \x1b), nothing else changed. */
export function terminalSafe(text: string): string {
  return text.replace(UNSAFE, (c) => {
    const code = c.charCodeAt(0);
    return code > 0xff
      ? `\\u${code.toString(16).padStart(4, "0")}`
      : `\\x${code.toString(16).padStart(2, "0")}`;
  });
}
