import * as z from 'zod';
import { Sha256 } from './common.js';

/**
 * The query of `GET /v1/splits/{id}/{split}/membership` (docs/SPLIT-SPEC.md §8.6): the row's
 * identity (a SHA-256, §8.1) as `splitvault contains` computes it from the row's values. The
 * answer's schema is in membership-view.ts, which the API Lambda does not bundle.
 */
export const MembershipQuery = z.object({ row: Sha256 });
