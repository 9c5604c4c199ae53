/** How the console writes numbers, ids and times: the same way on every page. */

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** 1536 -> "1.5 KiB"; bytes below 1024 stay exact. */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${UNITS[unit]}`;
}

/** Twelve hex characters: what the CLI prints and what the API accepts as a short id. */
export function shortId(id: string): string {
  return id.slice(0, 12);
}

/** 2026-11-30T03:51:58.755Z -> "2026-11-30 03:51:58 UTC": one zone for every reader. */
export function formatTime(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}
