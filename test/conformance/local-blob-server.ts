/**
 * The smallest HTTP front for the embedded blob store, so the conformance suite can fetch
 * its presigned URLs exactly as it fetches S3's. It wires the real verifier and store; the
 * product's own routes (functions/api) do the same with Hono. Binds 127.0.0.1 only.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SplitvaultError } from '../../functions/core/errors.js';
import type { BlobStore, SignedUrlVerifier } from '../../functions/core/ports.js';

const STATUS: Record<string, number> = { forbidden: 403, 'not-found': 404, integrity: 400, invalid: 400 };

export interface RunningServer {
  readonly baseUrl: string;
  close(): Promise<void>;
}

/** Starts on a free port; `attach` receives the base URL before the first request. */
export async function startBlobServer(
  build: (baseUrl: string) => { store: BlobStore; verifier: SignedUrlVerifier },
): Promise<RunningServer> {
  let deps: { store: BlobStore; verifier: SignedUrlVerifier } | undefined;
  const server: Server = createServer((request, response) => {
    const method = request.method === 'PUT' ? 'PUT' : 'GET';
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    (async () => {
      const grant = deps!.verifier.verify(method, url, new Date());
      if (method === 'GET') {
        const body = await deps!.store.open(grant.kind, grant.sha256);
        const disposition = grant.filename
          ? { 'content-disposition': `attachment; filename="${grant.filename}"` }
          : {};
        response.writeHead(200, { 'content-type': 'application/octet-stream', ...disposition });
        for await (const chunk of body) response.write(chunk);
        response.end();
        return;
      }
      const result = await deps!.store.put('dataset', grant.sha256, request, grant.bytes ?? 0);
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result));
    })().catch((error: unknown) => {
      const status = error instanceof SplitvaultError ? (STATUS[error.kind] ?? 500) : 500;
      request.resume();
      response.writeHead(status, { 'content-type': 'text/plain' }).end(String((error as Error).message));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  deps = build(baseUrl);
  return {
    baseUrl,
    close: () =>
      new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
