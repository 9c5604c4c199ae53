/**
 * Artifact short-id index items (ARTIFACT#<sha>/MANIFEST#<id>, docs/DATA-MODEL.md): written
 * with every freeze, and by a one-off backfill for manifests recorded before they existed.
 */
import { type DynamoDBClient, PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { SPLIT_NAMES } from '../../../schemas/common.js';
import type { StoredManifest } from '../../../schemas/records.js';
import { type Item, keys, PARTITIONS, parseData, s } from './dynamo-keys.js';
import { rethrowSdkError } from './sdk-errors.js';

/** The index items of a manifest's artifacts, one per distinct artifact. */
export function artifactItems(manifest: StoredManifest): Item[] {
  const shas = new Set(SPLIT_NAMES.map((split) => manifest.splits[split].sha256));
  return [...shas].map((sha256) => keys.artifactManifest(sha256, manifest.id));
}

/**
 * Puts a manifest's artifact index items. They hold only keys and are the same whoever writes
 * them, so they are put unconditionally and outside the manifest's transaction: that keeps
 * its room for 93 parents, and a retry or re-freeze simply writes them again.
 */
export async function putArtifactItems(
  client: DynamoDBClient,
  table: string,
  manifest: StoredManifest,
): Promise<void> {
  await Promise.all(
    artifactItems(manifest).map((item) =>
      client
        .send(new PutItemCommand({ TableName: table, Item: item }))
        .catch((error: unknown) => rethrowSdkError(error, `indexing artifacts of ${manifest.id}`)),
    ),
  );
}

export interface BackfillReport {
  /** Manifest items read. */
  readonly manifests: number;
  /** Index items put (existing ones are put again, unchanged). */
  readonly items: number;
}

/**
 * Makes the artifacts of every manifest findable by short id: scans the table for manifest
 * items and puts their artifact index items. Idempotent, so it can be re-run or interrupted.
 * It needs dynamodb:Scan, which no splitvault function holds: an operator runs it once, with
 * their own credentials, after upgrading a deployment whose table predates the index.
 */
export async function backfillArtifactItems(
  client: DynamoDBClient,
  table: string,
  onPage: (report: BackfillReport) => void = () => {},
): Promise<BackfillReport> {
  let manifests = 0;
  let items = 0;
  let start: Item | undefined;
  do {
    const output = await client
      .send(
        new ScanCommand({
          TableName: table,
          FilterExpression: 'begins_with(pk, :family) AND sk = :manifest',
          ExpressionAttributeValues: { ':family': s(PARTITIONS.manifest), ':manifest': s('MANIFEST') },
          ExclusiveStartKey: start,
        }),
      )
      .catch((error: unknown) => rethrowSdkError(error, 'scanning for manifests'));
    for (const item of output.Items ?? []) {
      const manifest = parseData<StoredManifest>(item);
      if (manifest === undefined) continue;
      await putArtifactItems(client, table, manifest);
      manifests += 1;
      items += artifactItems(manifest).length;
    }
    onPage({ manifests, items });
    start = output.LastEvaluatedKey;
  } while (start !== undefined);
  return { manifests, items };
}
