import * as z from 'zod';

const Port = z.coerce.number().int().min(0).max(65535);
const OptionalText = z.string().trim().min(1).optional();

/** The largest presigned-URL lifetime any route hands out: 12 hours. */
export const MAX_PRESIGN_SECONDS = 43_200;

/**
 * The service's environment variables, as read once per process. Empty strings count as
 * unset so a blank line in a .env file falls back to the default instead of failing.
 */
export const ConfigEnv = z
  .object({
    PORT: Port.default(3000),
    HOST: OptionalText,
    SPLITVAULT_BACKEND: z.enum(['local', 'aws']).default('local'),
    SPLITVAULT_DATA_DIR: z.string().trim().min(1).default('./.splitvault'),
    SPLITVAULT_TOKENS_FILE: OptionalText,
    SPLITVAULT_BUCKET: OptionalText,
    SPLITVAULT_TABLE: OptionalText,
    /** An S3 bucket without Object Lock where multipart uploads are staged (docs/MULTIPART-UPLOAD.md). */
    SPLITVAULT_STAGING_BUCKET: OptionalText,
    SPLITVAULT_RETENTION_MODE: z.enum(['GOVERNANCE', 'COMPLIANCE', 'NONE']).default('NONE'),
    SPLITVAULT_RETENTION_DAYS: z.coerce.number().int().min(1).max(36_500).optional(),
    SPLITVAULT_PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
    SPLITVAULT_PRESIGN_SECONDS: z.coerce.number().int().min(1).max(MAX_PRESIGN_SECONDS).default(900),
    SPLITVAULT_WORKER_FUNCTION: OptionalText,
    SPLITVAULT_API_ID: OptionalText,
    SPLITVAULT_GIT_COMMIT: OptionalText,
    /** Decoded bytes one freeze may hold; see functions/config.ts for the default. */
    SPLITVAULT_MAX_DECODED_BYTES: z.coerce
      .number()
      .int()
      .min(2 ** 20)
      .max(2 ** 53)
      .optional(),
    /**
     * Bytes of memory one embedded freeze may use; a dataset that could pass it in one process
     * is frozen in shards within it (functions/jobs/freeze-sharded.ts).
     */
    SPLITVAULT_WORKER_MEMORY: z.coerce
      .number()
      .int()
      .min(64 * 2 ** 20)
      .max(2 ** 53)
      .optional(),
    /** Worker threads one embedded freeze's shard tasks run on; see functions/config.ts for the default. */
    SPLITVAULT_WORKERS: z.coerce.number().int().min(1).max(1024).optional(),
    /** Set by Lambda: the function's memory in MiB, from which the decoded budget defaults. */
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: z.coerce.number().int().min(128).optional(),
    /** Job lease and heartbeat (seconds), runs before a job is failed, and the embedded queue. */
    SPLITVAULT_JOB_LEASE_SECONDS: z.coerce.number().min(1).max(3600).optional(),
    SPLITVAULT_JOB_HEARTBEAT_SECONDS: z.coerce.number().min(0.1).max(3600).optional(),
    SPLITVAULT_JOB_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).optional(),
    SPLITVAULT_JOB_QUEUE_LIMIT: z.coerce.number().int().min(1).max(10_000).optional(),
    /** Powertools' own variable: the worker emits CloudWatch metrics (EMF) only when it is set. */
    POWERTOOLS_METRICS_NAMESPACE: OptionalText,
  })
  .superRefine((env, ctx) => {
    if (env.SPLITVAULT_RETENTION_MODE !== 'NONE' && env.SPLITVAULT_RETENTION_DAYS === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['SPLITVAULT_RETENTION_DAYS'],
        message: `is required when SPLITVAULT_RETENTION_MODE=${env.SPLITVAULT_RETENTION_MODE}`,
      });
    }
    const lease = env.SPLITVAULT_JOB_LEASE_SECONDS ?? 45;
    if ((env.SPLITVAULT_JOB_HEARTBEAT_SECONDS ?? Math.min(15, lease / 3)) >= lease) {
      ctx.addIssue({
        code: 'custom',
        path: ['SPLITVAULT_JOB_HEARTBEAT_SECONDS'],
        message: `must be shorter than the job lease (${lease} s)`,
      });
    }
    if (env.SPLITVAULT_BACKEND !== 'aws') return;
    for (const key of ['SPLITVAULT_BUCKET', 'SPLITVAULT_TABLE'] as const) {
      if (env[key] === undefined) {
        ctx.addIssue({ code: 'custom', path: [key], message: 'is required when SPLITVAULT_BACKEND=aws' });
      }
    }
  });
export type ConfigEnv = z.output<typeof ConfigEnv>;

/** The embedded server's tokens file: token → who it is and what it may do. */
export const TokensFile = z.record(
  z.string().min(16, 'tokens must be at least 16 characters'),
  z.object({
    actor: z.string().min(1).max(256),
    roles: z.array(z.enum(['reader', 'writer', 'deployer'])).min(1),
  }),
);
export type TokensFile = z.infer<typeof TokensFile>;
