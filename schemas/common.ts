import * as z from 'zod';

/** Lower-case hex SHA-256, the address of every dataset, artifact and manifest. */
export const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lower-case hex characters (a SHA-256)');

/** Alias names are path segments and DynamoDB key parts: keep them boring. */
export const AliasName = z
  .string()
  .min(1)
  .max(64)
  .regex(
    /^[a-z0-9][a-z0-9._-]*$/,
    'must start with a letter or digit and use only a-z, 0-9, ".", "_" and "-"',
  );

export const SplitName = z.enum(['train', 'validation', 'test']);
export type SplitName = z.infer<typeof SplitName>;
export const SPLIT_NAMES: readonly SplitName[] = ['train', 'validation', 'test'];

export const IsoTime = z.iso.datetime({ offset: true });
