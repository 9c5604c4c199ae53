import { describe, expect, it } from 'vitest';
import { DynamoLineageStore } from '../../functions/adapters/aws/dynamo-lineage-store.js';
import { backfillArtifactIdsMain } from '../../functions/handlers/backfill-artifact-ids.js';
import { createLineageTable, dynamoClient } from './emulator-env.js';
import { putLegacyItem } from './legacy-items.js';
import { manifest } from './records.js';

function capture() {
  const out = { stdout: '', stderr: '' };
  const sink = (name: keyof typeof out) => ({
    write: (text: string) => {
      out[name] += text;
      return true;
    },
  });
  const io = { stdout: sink('stdout'), stderr: sink('stderr') };
  return { out, io };
}

describe('npm run backfill-artifact-ids', () => {
  it('indexes the artifacts of a manifest recorded before artifact short ids and says how many (exit 0)', async () => {
    const client = dynamoClient();
    const tableName = await createLineageTable(client, 'backfill-command');
    const legacy = manifest('backfill-command-legacy');
    await putLegacyItem(client, tableName, 'MANIFEST', legacy.id, legacy);
    const store = new DynamoLineageStore({ client, tableName });
    const train = legacy.splits.train.sha256;
    expect(await store.findIds('artifact', train.slice(0, 8), 10)).toEqual([]);

    const { out, io } = capture();
    const code = await backfillArtifactIdsMain(['--table', tableName], io, () => dynamoClient());

    expect({ code, stdout: out.stdout }).toEqual({
      code: 0,
      stdout: `indexed the artifacts of 1 manifests (3 items) in ${tableName}\n`,
    });
    expect(out.stderr).toContain('scanned: 1 manifests, 3 index items put');
    expect(await store.findIds('artifact', train.slice(0, 8), 10)).toEqual([train]);
    client.destroy();
  });

  it('fails with exit 1 and says it can run again when the table cannot be read', async () => {
    const { out, io } = capture();
    const code = await backfillArtifactIdsMain(['--table', 'no-such-table'], io, () => dynamoClient());
    expect(code).toBe(1);
    expect(out.stderr).toContain('it is safe to run again');
  });

  it.each([
    ['no --table', []],
    ['an unknown option', ['--table', 't', '--dry-run']],
  ])('refuses %s with exit 2 and the usage line, touching nothing', async (_what, args) => {
    const { out, io } = capture();
    const code = await backfillArtifactIdsMain(args, io, () => {
      throw new Error('no client should be made');
    });
    expect(code).toBe(2);
    expect(out.stderr).toContain('usage: npm run backfill-artifact-ids -- --table TABLE_NAME');
  });
});
