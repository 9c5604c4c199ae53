/**
 * Writes the API Lambda's OpenAPI document to the path given (the bundle directory, at build
 * time: lib/vault-functions.ts), so the function serves it without converting schemas.
 *   tsx scripts/write-openapi.ts OUT_FILE
 */
import { writeFileSync } from 'node:fs';
import { openApiDocument } from '../functions/api/openapi.js';
import { SERVICE_VERSION } from '../functions/version.js';

const out = process.argv[2];
if (!out) throw new Error('usage: write-openapi.ts OUT_FILE');
// The API Lambda offers no multipart uploads (docs/MULTIPART-UPLOAD.md).
writeFileSync(out, JSON.stringify(openApiDocument(SERVICE_VERSION, { uploads: false })));
