/**
 * Booleans are exactly true/True/TRUE or false/False/FALSE: the spellings that CSV writers
 * (pandas, pyarrow, spreadsheets) emit. Other casings and 0/1 stay text.
 */

/** Bytes `s+1..e` spell the rest of `word` in lower case (0) or upper case (1). */
function rest(bytes: Uint8Array, s: number, e: number, word: string, upper: boolean): boolean {
  for (let i = 1; i < e - s; i++) {
    const c = word.charCodeAt(i) - (upper ? 0x20 : 0);
    if (bytes[s + i] !== c) return false;
  }
  return true;
}

/** 1 for true, 0 for false, -1 for anything else. */
export function parseBool(bytes: Uint8Array, s: number, e: number): number {
  const n = e - s;
  const first = bytes[s];
  let word: string;
  if (n === 4 && (first === 0x74 || first === 0x54)) word = 'true';
  else if (n === 5 && (first === 0x66 || first === 0x46)) word = 'false';
  else return -1;
  const value = n === 4 ? 1 : 0;
  // Lower-case first letter: the rest must be lower case. Upper: all lower (Title) or all upper.
  if (first === word.charCodeAt(0)) return rest(bytes, s, e, word, false) ? value : -1;
  return rest(bytes, s, e, word, false) || rest(bytes, s, e, word, true) ? value : -1;
}
