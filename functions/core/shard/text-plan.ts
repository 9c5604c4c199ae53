import { bomLength } from '../ingest/utf8.js';
import type { FilePlan, TextShard } from './plan.js';
import { type DatasetSource, fileChunks, READ_CHUNK_BYTES } from './source.js';
import { TextCutter, type TextFileCuts } from './text-cuts.js';

/**
 * Cuts every CSV or JSON Lines file at row boundaries, reading each once, in order. Line
 * numbers are carried as the join of the files would number them (docs/SPLIT-SPEC.md §7.3):
 * CSV parts after the first lose their header, JSON Lines parts their BOM, and a part that
 * doesn't end with LF is followed by one.
 */
export async function planText(
  source: DatasetSource,
  csv: boolean,
  delimiter: string,
  target: number,
  chunk = READ_CHUNK_BYTES,
): Promise<{ files: FilePlan[]; shards: TextShard[] }> {
  const cuts: TextFileCuts[] = [];
  for (const [file, size] of source.sizes.entries()) {
    const bom = bomLength(await source.readRange(file, 0, Math.min(3, size)));
    const cutter = new TextCutter(csv, delimiter.charCodeAt(0), target, size, bom);
    for await (const { at, bytes } of fileChunks(source, file, 0, chunk)) cutter.push(at, bytes);
    cuts.push(cutter.finish());
  }
  const shards: TextShard[] = [];
  const files: FilePlan[] = [];
  let lineBase = 0;
  let offsetBase = 0;
  for (const [file, cut] of cuts.entries()) {
    const size = source.sizes[file]!;
    // What the join drops from this part: CSV's header (after the first part), JSON Lines' BOM.
    const skippedBreaks = csv && file > 0 ? cut.headerBreaks : 0;
    const skippedBytes = file === 0 ? 0 : csv ? cut.dataStart : cut.bom;
    for (const [k, range] of cut.ranges.entries()) {
      shards.push({
        kind: 'text',
        index: shards.length,
        file,
        start: range.start,
        end: range.end,
        line: range.line,
        joinedLine: lineBase + range.line - skippedBreaks,
        joinedOffset: offsetBase + range.start - skippedBytes,
        firstOfFile: k === 0,
        lastOfFile: k === cut.ranges.length - 1,
      });
    }
    files.push({
      size,
      ...(csv ? { headerEnd: cut.dataStart } : {}),
      ...(cut.utf8Fault === undefined
        ? {}
        : { utf8Fault: cut.utf8Fault, joinedFault: offsetBase + cut.utf8Fault - skippedBytes }),
    });
    const separator = cut.endsWithLf ? 0 : 1;
    lineBase += cut.lineBreaks - skippedBreaks + separator;
    offsetBase += size - skippedBytes + separator;
  }
  return { files, shards };
}
