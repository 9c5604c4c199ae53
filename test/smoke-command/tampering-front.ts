import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TamperingFront {
  readonly url: string;
  /** The server's address, once it is known (the front starts first: it is the public URL). */
  target?: string;
  close(): Promise<void>;
}

/**
 * An HTTP front that forwards everything to `target` but flips the first byte of every body
 * served under /v1/blobs/ (the embedded server's presigned downloads): storage that hands out
 * different bytes than it was given.
 */
export async function startTamperingFront(): Promise<TamperingFront> {
  const front: TamperingFront = {
    url: '',
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server = createServer((req, res) => {
    const target = new URL(req.url ?? '/', front.target);
    const upstream = request(target, { method: req.method, headers: req.headers }, (answer) => {
      const chunks: Buffer[] = [];
      answer.on('data', (chunk: Buffer) => chunks.push(chunk));
      answer.on('end', () => {
        const body = Buffer.concat(chunks);
        if (req.method === 'GET' && target.pathname.startsWith('/v1/blobs/') && body.length > 0)
          body[0]! ^= 0xff;
        res.writeHead(answer.statusCode ?? 502, answer.headers).end(body);
      });
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  (front as { url: string }).url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return front;
}
