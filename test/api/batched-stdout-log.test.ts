import { setImmediate as nextTurn } from 'node:timers/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { batchedStdoutLog } from '../../functions/handlers/batched-stdout-log.js';

describe('the Node server request log', () => {
  afterEach(() => vi.restoreAllMocks());

  it('writes every line logged in one turn as one JSON line each, in a single write', async () => {
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    batchedStdoutLog({ requestId: 'a', status: 200 });
    batchedStdoutLog({ requestId: 'b', status: 404 });
    expect(write).not.toHaveBeenCalled();
    await nextTurn();
    expect(write).toHaveBeenCalledTimes(1);
    const lines = String(write.mock.calls[0]?.[0]).split('\n');
    expect(lines.pop()).toBe('');
    expect(lines.map((line) => JSON.parse(line))).toEqual([
      { requestId: 'a', status: 200 },
      { requestId: 'b', status: 404 },
    ]);
  });

  it('starts a new batch for lines logged after a flush', async () => {
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    batchedStdoutLog({ requestId: 'c' });
    await nextTurn();
    batchedStdoutLog({ requestId: 'd' });
    await nextTurn();
    expect(write.mock.calls.map((call) => String(call[0]))).toEqual([
      '{"requestId":"c"}\n',
      '{"requestId":"d"}\n',
    ]);
  });
});
