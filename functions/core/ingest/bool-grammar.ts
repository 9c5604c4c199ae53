/**
 * Booleans are exactly true/True/TRUE or false/False/FALSE: the spellings that CSV writers
 * (pandas, pyarrow, spreadsheets) emit. Other casings and 0/1 stay text.
 */

const SPELLINGS: readonly (readonly [string, number])[] = [
  ['true', 1],
  ['True', 1],
  ['TRUE', 1],
  ['false', 0],
  ['False', 0],
  ['FALSE', 0],
];

function equals(bytes: Uint8Array, s: number, e: number, word: string): boolean {
  if (e - s !== word.length) return false;
  for (let i = 0; i < word.length; i++) if (bytes[s + i] !== word.charCodeAt(i)) return false;
  return true;
}

/** 1 for true, 0 for false, -1 for anything else. */
export function parseBool(bytes: Uint8Array, s: number, e: number): number {
  const n = e - s;
  if (n !== 4 && n !== 5) return -1;
  for (const [word, value] of SPELLINGS) if (equals(bytes, s, e, word)) return value;
  return -1;
}
