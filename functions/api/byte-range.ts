/**
 * The one byte range a blob route serves, from a Range header (RFC 9110 §14). Readers such as
 * polars, pyarrow's HTTP filesystem and fsspec ask for one range at a time (usually the footer,
 * then the record batches it points at), so a single range is all this answers: a header
 * asking for several, or one this parser does not understand, gets the whole body (200), which
 * the RFC allows. Hand-written rather than a dependency: it is the one grammar rule we need.
 */
import type { ByteRange } from '../core/ports.js';

/**
 * `undefined`: serve the whole body. `'unsatisfiable'`: a well-formed range that starts past
 * the end (416). Otherwise the clamped range to serve with 206.
 */
export function parseByteRange(
  header: string | undefined,
  size: number,
): ByteRange | 'unsatisfiable' | undefined {
  if (header === undefined) return undefined;
  const match = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  if (!match) return undefined;
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') return undefined;
  if (first === '') {
    // A suffix: the last N bytes. Zero of them is unsatisfiable; more than there are is all.
    const suffix = Number(last);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  const end = last === '' ? Number.POSITIVE_INFINITY : Number(last);
  if (end < start) return undefined;
  if (start >= size) return 'unsatisfiable';
  return { start, end: Math.min(end, size - 1) };
}
