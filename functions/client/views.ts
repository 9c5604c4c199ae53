import type { z } from 'zod';
import type * as api from '../../schemas/api.js';

/** Response types, inferred from the zod schemas the server answers with. */
export type DatasetView = z.infer<typeof api.DatasetView>;
export type DownloadView = z.infer<typeof api.DownloadView>;
export type SplitView = z.infer<typeof api.SplitView>;
export type LineageView = z.infer<typeof api.LineageView>;
export type VerifyResult = z.infer<typeof api.VerifyResult>;
