import { App, Duration, Size, Stack } from 'aws-cdk-lib';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ObjectLockMode } from 'aws-cdk-lib/aws-s3';
import { describe, expect, it } from 'vitest';
import { SplitVault, type SplitVaultProps } from '../../lib/splitvault.js';

// Validation runs before any child construct exists, so these stacks never reach bundling.
const build = (props: SplitVaultProps) => new SplitVault(new Stack(new App(), 'Bad'), 'Vault', props);

describe('SplitVault props', () => {
  it.each<[string, SplitVaultProps, string]>([
    [
      'retention days of zero',
      { retentionDays: 0 },
      'retention days must be a whole number from 1 to 36500 days, got 0',
    ],
    ['retention days above 100 years', { retentionDays: 36501 }, 'got 36501'],
    [
      'fractional retention days',
      { retentionDays: 1.5 },
      'retention days must be a whole number from 1 to 36500 days, got 1.5',
    ],
    [
      'an unknown retention mode',
      { retentionMode: 'LEGAL' as ObjectLockMode },
      'retention mode must be GOVERNANCE or COMPLIANCE, got LEGAL',
    ],
    [
      'worker memory below 128 MiB',
      { workerMemorySize: 64 },
      'worker memory size must be a whole number from 128 to 10240 MiB, got 64',
    ],
    ['worker memory above 10240 MiB', { workerMemorySize: 20000 }, 'got 20000'],
    [
      'ephemeral storage below 512 MiB',
      { workerEphemeralStorageSize: Size.mebibytes(256) },
      'worker ephemeral storage size must be a whole number from 512 to 10240 MiB, got 256',
    ],
    ['ephemeral storage above 10 GiB', { workerEphemeralStorageSize: Size.gibibytes(11) }, 'got 11264'],
    [
      'three retries',
      { workerRetryAttempts: 3 },
      'worker retry attempts must be a whole number from 1 to 2 retries, got 3',
    ],
    [
      'no retries, which would leave a crashed job running',
      { workerRetryAttempts: 0 },
      'worker retry attempts must be a whole number from 1 to 2 retries, got 0',
    ],
    [
      'no reserved worker concurrency',
      { workerReservedConcurrency: 0 },
      'worker reserved concurrency must be a whole number from 1 to 1000 executions, got 0',
    ],
    [
      'no shard concurrency',
      { shardConcurrency: 0 },
      'shard concurrency must be a whole number from 1 to 1000 shard steps, got 0',
    ],
    ["a shard concurrency past the account's default Lambda quota", { shardConcurrency: 1001 }, 'got 1001'],
    [
      'a presign lifetime under a minute',
      { presignExpiry: Duration.seconds(30) },
      'presign expiry must be a whole number from 60 to 43200 seconds, got 30',
    ],
    ['a presign lifetime over 12 hours', { presignExpiry: Duration.hours(13) }, 'got 46800'],
    [
      'a log retention that is not a CloudWatch value',
      { logRetention: 10 as RetentionDays },
      'log retention must be one of the RetentionDays values, got 10',
    ],
    [
      'a zero throttle rate',
      { throttleRateLimit: 0 },
      'throttle rate limit must be a whole number from 1 to 10000 requests per second, got 0',
    ],
    [
      'a negative burst',
      { throttleBurstLimit: -5 },
      'throttle burst limit must be a whole number from 1 to 5000 requests, got -5',
    ],
  ])('rejects %s with a message naming the value', (_case, props, message) => {
    expect(() => build(props)).toThrow(message);
  });

  it('rejects a bad prop before creating any resource', () => {
    const stack = new Stack(new App(), 'Bad');
    expect(() => new SplitVault(stack, 'Vault', { retentionDays: -1 })).toThrow('got -1');
    expect(stack.node.children).toHaveLength(0);
  });
});
