/** Request and response bodies of the many-file registration (POST /v1/datasets with `files`). */
import * as z from 'zod';
import { MAX_DATASET_BYTES, PresignedRequestView } from './api.js';
import { Sha256 } from './common.js';
import { MAX_DATASET_FILES } from './dataset-file.js';
import { DatasetRecord } from './records.js';

/** One file as a registration declares it; each is uploaded under its own address. */
export const DatasetFileEntry = z
  .object({
    sha256: Sha256,
    bytes: z.number().int().min(1).max(MAX_DATASET_BYTES),
    name: z.string().min(1).max(256).optional(),
  })
  .strict();

/** A dataset whose rows are these files' rows, in list order (docs/SPLIT-SPEC.md §7). */
export const CreateFilesDatasetRequest = z
  .object({
    files: z.array(DatasetFileEntry).min(2).max(MAX_DATASET_FILES),
    name: z.string().min(1).max(256).optional(),
    mediaType: z.string().min(1).max(128).optional(),
  })
  .strict();
export type CreateFilesDatasetRequest = z.infer<typeof CreateFilesDatasetRequest>;

/** A file of a many-file dataset as the API shows it: stored yet or not. */
export const DatasetFileView = DatasetFileEntry.extend({ status: z.enum(['pending', 'available']) });

export const FilesDatasetView = DatasetRecord.extend({
  status: z.enum(['pending', 'available']),
  files: z.array(DatasetFileView),
});

/** 201 while some file is still to upload (one presigned PUT each), else 200 with none. */
export const CreateFilesDatasetResponse = z.object({
  dataset: FilesDatasetView,
  uploads: z.array(z.object({ sha256: Sha256, upload: PresignedRequestView })),
});
