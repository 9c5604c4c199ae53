/**
 * Jobs in the single table: one item per job (JOB#<id> / JOB), replaced whole by conditional
 * PutItem (no UpdateItem, which the roles are not granted). The item mirrors the record's
 * revision in `rev` so a swap can be conditioned on it, and carries gsi1 keys only while the
 * job is unfinished: that sparse index is how a restarted server finds the jobs to resume.
 */
import { type DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { Job } from '../../../schemas/records.js';
import { AlreadyExistsError, NotFoundError } from '../../core/errors.js';
import { FINISHED_JOB_STATES, jobFinished } from '../common/lineage-rules.js';
import { utcSortKey } from '../common/sort-keys.js';
import { type Item, keys, n, parseData, s } from './dynamo-keys.js';
import { queryPage } from './dynamo-requests.js';
import { rethrowSdkError } from './sdk-errors.js';

const UNFINISHED = 'JOBS#UNFINISHED';
const NOT_FINISHED = 'attribute_exists(pk) AND NOT (#state IN (:succeeded, :failed))';
const FINISHED_VALUES = { ':succeeded': s('succeeded'), ':failed': s('failed') };

function jobItem(job: Job): Item {
  return {
    ...keys.job(job.id),
    state: s(job.state),
    data: s(JSON.stringify(job)),
    ...(job.revision === undefined ? {} : { rev: n(job.revision) }),
    ...(FINISHED_JOB_STATES.has(job.state)
      ? {}
      : { gsi1pk: s(UNFINISHED), gsi1sk: s(`${utcSortKey(job.createdAt)}#${job.id}`) }),
  };
}

const conditionFailed = (error: unknown) => (error as Error).name === 'ConditionalCheckFailedException';

export async function createJob(client: DynamoDBClient, table: string, job: Job): Promise<void> {
  await client
    .send(
      new PutItemCommand({
        TableName: table,
        Item: jobItem(job),
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    )
    .catch((error: unknown) => {
      if (conditionFailed(error)) {
        throw new AlreadyExistsError('JOB.ALREADY_EXISTS', `job ${job.id} already exists`, { cause: error });
      }
      rethrowSdkError(error, `creating job ${job.id}`);
    });
}

export async function getJob(client: DynamoDBClient, table: string, id: string): Promise<Job | undefined> {
  const output = await client
    .send(new GetItemCommand({ TableName: table, Key: keys.job(id), ConsistentRead: true }))
    .catch((error: unknown) => rethrowSdkError(error, `reading job ${id}`));
  return parseData<Job>(output.Item);
}

/** The condition makes "not finished" and the replacement one atomic step. */
export async function updateJob(client: DynamoDBClient, table: string, job: Job): Promise<void> {
  await client
    .send(
      new PutItemCommand({
        TableName: table,
        Item: jobItem(job),
        ConditionExpression: NOT_FINISHED,
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: FINISHED_VALUES,
      }),
    )
    .catch(async (error: unknown) => {
      if (!conditionFailed(error)) rethrowSdkError(error, `updating job ${job.id}`);
      const stored = await getJob(client, table, job.id);
      if (stored === undefined) throw new NotFoundError('JOB.NOT_FOUND', `job ${job.id} does not exist`);
      if (FINISHED_JOB_STATES.has(stored.state)) throw jobFinished(job.id, stored.state);
      throw error;
    });
}

export async function swapJob(
  client: DynamoDBClient,
  table: string,
  job: Job,
  expectedRevision: number,
): Promise<boolean> {
  // A record never swapped before has no `rev` at all.
  const revision = expectedRevision === 0 ? '(attribute_not_exists(#rev) OR #rev = :rev)' : '#rev = :rev';
  try {
    await client.send(
      new PutItemCommand({
        TableName: table,
        Item: jobItem(job),
        ConditionExpression: `${NOT_FINISHED} AND ${revision}`,
        ExpressionAttributeNames: { '#state': 'state', '#rev': 'rev' },
        ExpressionAttributeValues: { ...FINISHED_VALUES, ':rev': n(expectedRevision) },
      }),
    );
    return true;
  } catch (error) {
    if (!conditionFailed(error)) rethrowSdkError(error, `updating job ${job.id}`);
    if ((await getJob(client, table, job.id)) === undefined) {
      throw new NotFoundError('JOB.NOT_FOUND', `job ${job.id} does not exist`, { cause: error });
    }
    return false;
  }
}

/** Read from gsi1, so a job queued a moment ago may take a moment to appear. */
export async function listUnfinishedJobs(
  client: DynamoDBClient,
  table: string,
  limit: number,
): Promise<Job[]> {
  const page = await queryPage(
    client,
    table,
    {
      input: {
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :p',
        ExpressionAttributeValues: { ':p': s(UNFINISHED) },
      },
      keyNames: ['gsi1pk', 'gsi1sk', 'pk', 'sk'],
      partition: UNFINISHED,
    },
    limit,
    undefined,
  );
  return page.items.map((item) => parseData<Job>(item)!);
}
