import { describe, expect, it, vi } from 'vitest';
import { checkAfterLoad } from '../stress/load-checks.js';
import { runLoad } from '../stress/load-runner.js';
import { BACKENDS } from './support/harness.js';
import { startHttpService } from './support/http-server.js';
import { TOKENS } from './support/tokens.js';

describe.each(BACKENDS)('concurrent clients over HTTP on the %s backend', (backend) => {
  it('accepts writes from 10 clients for 5 seconds with no 5xx, no lost write and gap-free histories', async () => {
    const printed: string[] = [];
    const spy = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
      printed.push(args.map(String).join(' '));
    });
    // The embedded server batches its request log straight onto stdout.
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      printed.push(...String(chunk).split('\n').filter(Boolean));
      return true;
    });
    const service = await startHttpService(backend);
    try {
      const report = await runLoad({
        url: service.url,
        clients: 10,
        durationMs: 5_000,
        maxRequestsPerClient: 400,
      });
      expect(await checkAfterLoad(service.url, report)).toEqual([]);
      expect(report.requests).toBeGreaterThan(50);
      expect(report.aliasMoves.length).toBeGreaterThan(report.aliases.length);
      const statuses = printed
        .filter((line) => line.startsWith('{"requestId"'))
        .map((line) => JSON.parse(line).status as number);
      expect(statuses.length).toBeGreaterThan(50);
      expect(statuses.filter((status) => status >= 500)).toEqual([]);
      const logged = printed.join('\n');
      for (const token of Object.values(TOKENS)) expect(logged).not.toContain(token);
    } finally {
      await service.close();
      spy.mockRestore();
      stdout.mockRestore();
    }
  }, 120_000);
});
