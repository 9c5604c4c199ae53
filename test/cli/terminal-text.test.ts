import { describe, expect, it } from 'vitest';
import { failureText } from '../../functions/cli/report.js';
import { renderFields, renderTable } from '../../functions/cli/table.js';
import { printable, printableLines } from '../../functions/cli/terminal-text.js';

// Every code point a terminal may act on instead of printing.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

describe('printable', () => {
  it.each([
    ['a colour change', 'ok \u001b[31mred\u001b[0m', 'ok \\u001b[31mred\\u001b[0m'],
    ['a window title', '\u001b]0;pwned\u0007', '\\u001b]0;pwned\\u0007'],
    ['a screen clear and cursor home', '\u001b[2J\u001b[H', '\\u001b[2J\\u001b[H'],
    ['a one-byte CSI', 'a\u009b31mb', 'a\\u009b31mb'],
    ['a carriage return that overwrites the line', 'good\rbad', 'good\\rbad'],
    ['a newline and a tab', 'one\ntwo\tthree', 'one\\ntwo\\tthree'],
    ['a backspace and DEL', 'x\b\u007f', 'x\\u0008\\u007f'],
    ['a right-to-left override', 'abc\u202edcb', 'abc\\u202edcb'],
    ['plain text with accents and emoji', 'café 🚀 ünïcode', 'café 🚀 ünïcode'],
  ])('shows %s as visible text', (_name, input, expected) => {
    expect(printable(input)).toBe(expected);
    expect(printable(input)).not.toMatch(CONTROLS);
  });

  it('keeps line breaks only where asked to', () => {
    expect(printableLines('a\u001b[1m\nb\r')).toBe('a\\u001b[1m\nb\\r');
  });
});

describe('human output of service text', () => {
  const reason = 'rollback\u001b[2K\r\u001b[32mapproved by security\u001b[0m';

  it('escapes control characters in table cells, so each row stays on one line', () => {
    const table = renderTable(
      ['revision', 'reason'],
      [
        [2, reason],
        [1, 'first\nsecond'],
      ],
    );
    const lines = table.split('\n');
    expect(lines).toHaveLength(4);
    for (const line of lines) expect(line).not.toMatch(CONTROLS);
    expect(table).toContain('rollback\\u001b[2K\\r\\u001b[32mapproved by security\\u001b[0m');
    expect(table).toContain('first\\nsecond');
  });

  it('escapes control characters in record fields', () => {
    const fields = renderFields([
      ['note', 'x\u001b]52;c;ZXZpbA==\u0007'],
      ['revision', 3],
    ]);
    expect(fields).toBe('note:      x\\u001b]52;c;ZXZpbA==\\u0007\nrevision:  3');
  });

  it('escapes control characters in a failure printed to stderr', () => {
    const text = failureText({ code: 'X.Y', title: 'bad\u001b[8m', detail: 'hidden\u001b[0m', exitCode: 1 });
    expect(text).toBe('error: bad\\u001b[8m\n  hidden\\u001b[0m [X.Y]\n');
  });
});
