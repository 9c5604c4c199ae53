import { DynamoLineageStore } from '../../functions/adapters/aws/dynamo-lineage-store.js';
import { createLineageTable, dynamoClient } from './emulator-env.js';
import { defineLineageStoreConformance } from './lineage-store-conformance.js';

defineLineageStoreConformance('DynamoDB on moto', async () => {
  const client = dynamoClient();
  const tableName = await createLineageTable(client, 'conformance-lineage');
  return {
    store: new DynamoLineageStore({ client, tableName }),
    async close() {
      client.destroy();
    },
  };
});
