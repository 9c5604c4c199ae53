import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeSplit } from '../../../functions/core/arrow/encode.js';
import { sha256Hex } from '../../../functions/core/hash.js';
import { ingest } from '../../../functions/core/ingest/index.js';
import { assignTable, splitDataset } from '../../../functions/core/split-dataset.js';
import { SPLIT_NAMES } from '../../../schemas/common.js';
import type { SplitSpec } from '../../../schemas/spec.js';

/**
 * Freezes one golden case and writes what its Python cross-check reads into `work`: each split
 * file as `<name>.<split>.arrow`, and the whole typed source as `<name>.source.arrow`, so the
 * Python check starts from the same values as the engine. Returns the row indices each split
 * got as well, which the recorded outcome holds.
 */
export async function freezeCase(work: string, name: string, source: Uint8Array, spec: SplitSpec) {
  const { manifest, artifacts } = await splitDataset(
    source,
    { sha256: sha256Hex(source), bytes: source.length },
    spec,
  );
  const { table } = await ingest(source, { format: spec.format });
  const { columns, indices } = assignTable(table, spec);
  const files: Record<string, string> = {};
  for (const split of SPLIT_NAMES) {
    files[split] = join(work, `${name}.${split}.arrow`);
    writeFileSync(files[split], artifacts[split]);
  }
  const all = Uint32Array.from({ length: table.numRows }, (_, i) => i);
  const sourceArrow = join(work, `${name}.source.arrow`);
  writeFileSync(sourceArrow, encodeSplit(table.schema, columns, all));
  return { manifest, indices, table, files, sourceArrow };
}
