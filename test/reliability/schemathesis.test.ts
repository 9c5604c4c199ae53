import { expect, it, vi } from 'vitest';
import { startHttpService } from './support/http-server.js';
import { runSchemathesis } from './support/schemathesis.js';

it('finds no 5xx and no response off its schema on the running embedded server (short run)', async () => {
  // The server's JSON request log would flood the test output.
  const spy = vi.spyOn(console, 'log').mockImplementation(() => undefined);
  const service = await startHttpService('embedded');
  try {
    const result = await runSchemathesis({ url: service.url, maxExamples: 5, phases: 'fuzzing,stateful' });
    expect(result.output).toMatch(/\d+ generated/);
    expect({
      exitCode: result.exitCode,
      tail: result.exitCode === 0 ? '' : result.output.slice(-12000),
    }).toEqual({ exitCode: 0, tail: '' });
  } finally {
    await service.close();
    spy.mockRestore();
  }
}, 300_000);
