import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoLineageStore } from '../../functions/adapters/aws/dynamo-lineage-store.js';
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
