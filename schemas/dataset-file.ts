import * as z from 'zod';
import { Sha256 } from './common.js';

/**
 * Most files in one many-file dataset. The registration (with names) and the manifest (with
 * addresses) each keep the list in one DynamoDB item: 512 entries stay far under its 400 KB.
 */
export const MAX_DATASET_FILES = 512;

/** One file of a many-file dataset, as the manifest records it: its address and size. */
export const DatasetFileRef = z.object({ sha256: Sha256, bytes: z.number().int().min(1) }).strict();
export type DatasetFileRef = z.infer<typeof DatasetFileRef>;

/** One file as a registration records it; `name` is a label and no part of any id. */
export const DatasetFileRecord = z.object({
  sha256: Sha256,
  bytes: z.number().int().min(1),
  name: z.string().min(1).max(256).optional(),
});
export type DatasetFileRecord = z.infer<typeof DatasetFileRecord>;
