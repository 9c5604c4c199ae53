// C0 controls, DEL, C1 controls (0x9B alone starts an escape sequence on some terminals) and
// the Unicode bidirectional overrides that reorder what a reader sees.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * Text from the service made safe for a terminal: every control character becomes a visible
 * escape (`\u001b`, `\n`), so a reason or note can't move the cursor, recolour the screen,
 * set the window title or hide text. Human output only; --json prints values exactly.
 */
export function printable(text: string): string {
  return text.replace(
    UNPRINTABLE,
    (ch) => NAMED[ch] ?? `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** As printable, but keeps line breaks: for whole blocks of output made of several lines. */
export function printableLines(text: string): string {
  return text.split('\n').map(printable).join('\n');
}
