/**
 * Review 4: multipartUpload (functions/adapters/aws/s3-multipart-upload.ts) promises that "a
 * failed part stops the reading". It notices a failed part only through Promise.race over the
 * parts still pending, but a part is dropped from `pending` as soon as it settles, failed or
 * not: a part that fails while fewer than `partsInFlight` are out is never raced, and the loop
 * reads and uploads the whole rest of the body before Promise.all reports the failure. For a
 * split file of tens of GB, one throttled first part costs the whole file's reading and
 * uploading (and its Lambda time) before the step fails.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { PART_BYTES } from '../../functions/adapters/aws/s3-checksums.js';
import { multipartUpload } from '../../functions/adapters/aws/s3-multipart-upload.js';

const PARTS = 6;

/** A client whose UploadPart of part 1 fails at once (an S3 500), every other request succeeds. */
function fakeClient(sent: string[]): S3Client {
  return {
    send: async (command: { constructor: { name: string }; input: { PartNumber?: number } }) => {
      const name = command.constructor.name;
      sent.push(name === 'UploadPartCommand' ? `part ${command.input.PartNumber}` : name);
      if (name === 'CreateMultipartUploadCommand') return { UploadId: 'u1' };
      if (name === 'UploadPartCommand') {
        if (command.input.PartNumber === 1) {
          throw Object.assign(new Error('We encountered an internal error'), {
            name: 'InternalError',
            $metadata: { httpStatusCode: 500 },
          });
        }
        return { ETag: `"e${command.input.PartNumber}"` };
      }
      return {};
    },
  } as unknown as S3Client;
}

/** A body of PARTS parts, counting the chunks the upload pulled from it. */
async function* body(pulled: { n: number }): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < PARTS; i++) {
    pulled.n++;
    // A read from S3 takes a moment: the failed part's answer is back by the next chunk.
    await new Promise((resolve) => setTimeout(resolve, 1));
    yield new Uint8Array(PART_BYTES);
  }
}

describe('a multipart upload whose first part fails (review 4)', () => {
  it('stops reading the body within the parts in flight after the failure, not at its end', async () => {
    const sent: string[] = [];
    const pulled = { n: 0 };
    const upload = multipartUpload(
      {
        client: fakeClient(sent),
        create: { Bucket: 'b', Key: 'k' },
        sha256: '0'.repeat(64),
        bytes: PARTS * PART_BYTES,
        partsInFlight: 3,
      },
      body(pulled),
    );
    await expect(upload).rejects.toMatchObject({ name: 'BackendUnavailableError' });
    // Aborted, as promised...
    expect(sent).toContain('AbortMultipartUploadCommand');
    // ...but only after every part of the body was read and sent.
    const parts = sent.filter((s) => s.startsWith('part '));
    expect(parts.length, `parts sent: ${parts.join(', ')}`).toBeLessThanOrEqual(3);
    expect(pulled.n).toBeLessThanOrEqual(4);
  });
});
