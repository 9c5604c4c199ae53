import { randomUUID } from 'node:crypto';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { backfillArtifactItems } from '../../functions/adapters/aws/dynamo-artifacts.js';
import { DynamoLineageStore } from '../../functions/adapters/aws/dynamo-lineage-store.js';
import type { AuditEntry } from '../../schemas/records.js';
import { createLineageTable, dynamoClient } from './emulator-env.js';
import { putLegacyItem } from './legacy-items.js';
import { defineLineageStoreConformance } from './lineage-store-conformance.js';
import { audit, dataset, freezeEvent, manifest, minute } from './records.js';

defineLineageStoreConformance('DynamoDB on moto', async () => {
  const client = dynamoClient();
  const tableName = await createLineageTable(client, 'conformance-lineage');
  return {
    store: new DynamoLineageStore({ client, tableName }),
    async writeLegacyDataset(record) {
      await putLegacyItem(client, tableName, 'DATASET', record.sha256, record);
    },
    async writeLegacyManifest(manifest) {
      await putLegacyItem(client, tableName, 'MANIFEST', manifest.id, manifest);
    },
    async upgradeLegacyRecords() {
      await backfillArtifactItems(client, tableName);
    },
    async close() {
      client.destroy();
    },
  };
});

describe('DynamoLineageStore against the 400 KB item limit', () => {
  it('refuses a record over the limit with RECORD.TOO_LARGE instead of an untyped SDK error', async () => {
    const client = dynamoClient();
    const store = new DynamoLineageStore({
      client,
      tableName: await createLineageTable(client, 'item-limit'),
    });
    const entry: AuditEntry = {
      id: randomUUID(),
      requestId: randomUUID(),
      at: new Date().toISOString(),
      actor: 'alice',
      action: 'alias.set',
      target: 'prod',
      reason: 'x'.repeat(500 * 1024),
    };
    await expect(store.appendAudit(entry)).rejects.toMatchObject({
      code: 'RECORD.TOO_LARGE',
      kind: 'too-large',
    });
    client.destroy();
  });
});

describe('DynamoLineageStore against items planted by a stolen function credential', () => {
  // IAM limits each function's puts by partition key (dynamodb:LeadingKeys), not by the
  // values of gsi1pk/gsi1sk, so either function can put an item of a family it owns that
  // also lands in another family's index partition.
  const plant = async (
    client: ReturnType<typeof dynamoClient>,
    tableName: string,
    item: Record<string, string>,
  ) =>
    client.send(
      new PutItemCommand({
        TableName: tableName,
        Item: Object.fromEntries(Object.entries(item).map(([name, value]) => [name, { S: value }])),
      }),
    );

  it('lists no alias that a job or manifest item (the worker) planted under the ALIASES index key', async () => {
    const client = dynamoClient();
    const tableName = await createLineageTable(client, 'planted-alias');
    const store = new DynamoLineageStore({ client, tableName });
    const forged = {
      name: 'prod',
      manifestId: 'f'.repeat(64),
      revision: 1,
      updatedAt: new Date().toISOString(),
      updatedBy: 'alice',
    };
    for (const pk of ['JOB#forged', `MANIFEST#${'e'.repeat(64)}`]) {
      await plant(client, tableName, {
        pk,
        sk: 'JOB',
        gsi1pk: 'ALIASES',
        gsi1sk: 'prod',
        data: JSON.stringify(forged),
      });
    }
    expect((await store.listAliases({ limit: 10 })).items).toEqual([]);
    client.destroy();
  });

  it('lists no child that a job or dataset item (the API) planted under a manifest CHILDREN index key', async () => {
    const client = dynamoClient();
    const tableName = await createLineageTable(client, 'planted-child');
    const store = new DynamoLineageStore({ client, tableName });
    const parent = 'a'.repeat(64);
    for (const pk of ['JOB#forged', `DATASET#${'d'.repeat(64)}`]) {
      await plant(client, tableName, {
        pk,
        sk: `PARENT#${parent}`,
        gsi1pk: `CHILDREN#${parent}`,
        gsi1sk: 'b'.repeat(64),
      });
    }
    expect(await store.listChildren(parent)).toEqual([]);
    client.destroy();
  });

  it('offers no artifact that a dataset or job item (the API) planted under an artifact short-id index key', async () => {
    const client = dynamoClient();
    const tableName = await createLineageTable(client, 'planted-artifact-id');
    const store = new DynamoLineageStore({ client, tableName });
    const forged = `ab${'c'.repeat(62)}`;
    for (const pk of ['JOB#forged', `DATASET#${'d'.repeat(64)}`]) {
      await plant(client, tableName, { pk, sk: 'JOB', gsi1pk: 'IDS#ARTIFACT#ab', gsi1sk: forged });
    }
    expect(await store.findIds('artifact', forged.slice(0, 8), 10)).toEqual([]);
    client.destroy();
  });

  it('still finds a dataset after the worker planted a key-only registration dated far in the future', async () => {
    // The worker may put key-only items under DATASET# (its dataset→manifest edges); a
    // REG# one sorts before every real registration and would hide the dataset from freezes.
    const client = dynamoClient();
    const tableName = await createLineageTable(client, 'planted-registration');
    const store = new DynamoLineageStore({ client, tableName });
    const record = dataset('hidden');
    await store.registerDataset(record, audit({ target: `dataset:${record.sha256}` }));
    await plant(client, tableName, { pk: `DATASET#${record.sha256}`, sk: 'REG#9999-12-31T23:59:59.999Z#x' });
    expect(await store.getDataset(record.sha256)).toEqual(record);
    expect(await store.getDataset(record.sha256, { bytes: record.bytes })).toEqual(record);
    client.destroy();
  });
});

describe('The artifact short-id backfill on DynamoDB', () => {
  it('finds no artifact of a manifest recorded before the index until it runs, then every one, and can run again', async () => {
    const client = dynamoClient();
    const tableName = await createLineageTable(client, 'artifact-backfill');
    const store = new DynamoLineageStore({ client, tableName });
    const legacy = manifest('backfill-legacy');
    await putLegacyItem(client, tableName, 'MANIFEST', legacy.id, legacy);
    const recent = manifest('backfill-recent');
    await store.putManifest(recent, freezeEvent(recent.id, minute(1), 'r1'), [], audit());
    const train = legacy.splits.train.sha256;
    expect(await store.findIds('artifact', train.slice(0, 8), 10)).toEqual([]);
    expect(await store.findIds('artifact', recent.splits.test.sha256, 10)).toEqual([
      recent.splits.test.sha256,
    ]);

    expect(await backfillArtifactItems(client, tableName)).toEqual({ manifests: 2, items: 6 });
    expect(await store.findIds('artifact', train.slice(0, 8), 10)).toEqual([train]);
    expect(await backfillArtifactItems(client, tableName)).toEqual({ manifests: 2, items: 6 });
    expect(await store.findIds('artifact', train.slice(0, 8), 10)).toEqual([train]);
    client.destroy();
  });
});
