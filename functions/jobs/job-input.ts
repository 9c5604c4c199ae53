import * as z from 'zod';
import { FreezeRequest } from '../../schemas/api.js';
import { Sha256 } from '../../schemas/common.js';

/** What POST /v1/splits stores on the job so the worker can run it later, anywhere. */
export const FreezeJobInput = FreezeRequest.extend({ requestId: z.string() });
export type FreezeJobInput = z.output<typeof FreezeJobInput>;

export const VerifyJobInput = z.object({ manifestId: Sha256, requestId: z.string() });
export type VerifyJobInput = z.output<typeof VerifyJobInput>;
