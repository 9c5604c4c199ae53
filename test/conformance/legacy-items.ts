import { type DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';

/**
 * Writes a dataset or manifest item as versions before the secondary indexes wrote it: the
 * record alone under its pk and sk, with none of the index keys later versions add.
 */
export async function putLegacyItem(
  client: DynamoDBClient,
  tableName: string,
  kind: 'DATASET' | 'MANIFEST',
  key: string,
  record: unknown,
): Promise<void> {
  await client.send(
    new PutItemCommand({
      TableName: tableName,
      Item: {
        pk: { S: `${kind}#${key}` },
        sk: { S: kind },
        data: { S: JSON.stringify(record) },
      },
    }),
  );
}
