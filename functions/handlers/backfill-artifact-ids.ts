/**
 * The one-off upgrade step for AWS deployments whose table holds manifests recorded before
 * artifact short ids (docs/DEPLOY.md): an operator runs it once, with their own credentials,
 * because it scans the table, which no splitvault function may do.
 */
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { backfillArtifactItems } from '../adapters/aws/dynamo-artifacts.js';

export interface BackfillIo {
  readonly stdout: Pick<NodeJS.WritableStream, 'write'>;
  readonly stderr: Pick<NodeJS.WritableStream, 'write'>;
}

const USAGE = 'usage: npm run backfill-artifact-ids -- --table TABLE_NAME [--region REGION]\n';

/** Parses the command line, runs the backfill and returns the exit code (2: usage, 1: failed). */
export async function backfillArtifactIdsMain(
  args: readonly string[],
  io: BackfillIo,
  makeClient: (region: string | undefined) => DynamoDBClient = (region) =>
    new DynamoDBClient(region ? { region } : {}),
): Promise<number> {
  let table: string | undefined;
  let region: string | undefined;
  try {
    const { values } = parseArgs({
      args: [...args],
      options: { table: { type: 'string' }, region: { type: 'string' } },
      strict: true,
    });
    ({ table, region } = values);
  } catch (error) {
    io.stderr.write(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (!table) {
    io.stderr.write(`--table is required (the stack's TableName output)\n${USAGE}`);
    return 2;
  }
  const client = makeClient(region);
  try {
    const report = await backfillArtifactItems(client, table, (sofar) =>
      io.stderr.write(`scanned: ${sofar.manifests} manifests, ${sofar.items} index items put\n`),
    );
    io.stdout.write(
      `indexed the artifacts of ${report.manifests} manifests (${report.items} items) in ${table}\n`,
    );
    return 0;
  } catch (error) {
    io.stderr.write(`backfill failed: ${(error as Error).message}\nit is safe to run again\n`);
    return 1;
  } finally {
    client.destroy();
  }
}
