import { randomUUID } from 'node:crypto';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoLineageStore } from '../../functions/adapters/aws/dynamo-lineage-store.js';
import type { AuditEntry } from '../../schemas/records.js';
import { createLineageTable, dynamoClient } from './emulator-env.js';
import { defineLineageStoreConformance } from './lineage-store-conformance.js';

defineLineageStoreConformance('DynamoDB on moto', async () => {
  const client = dynamoClient();
  const tableName = await createLineageTable(client, 'conformance-lineage');
  return {
    store: new DynamoLineageStore({ client, tableName }),
    async writeLegacyDataset(record) {
      await client.send(
        new PutItemCommand({
          TableName: tableName,
          Item: {
            pk: { S: `DATASET#${record.sha256}` },
            sk: { S: 'DATASET' },
            data: { S: JSON.stringify(record) },
          },
        }),
      );
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
