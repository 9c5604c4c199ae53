import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, freezeSplit, uploadDataset } from './support/client.js';
import { sha256Of } from './support/dataset.js';
import { type ApiHarness, embeddedHarness } from './support/harness.js';

let h: ApiHarness;
beforeAll(async () => {
  h = await embeddedHarness();
});
afterAll(async () => h?.close());

const rows = Array.from({ length: 30 }, (_, i) => ({ id: i, label: i % 3 === 0 ? 'a' : 'b' }));

function dataset(text: string) {
  const bytes = new TextEncoder().encode(text);
  return { bytes, sha256: sha256Of(bytes), rows: rows.length };
}

const spec = { strategy: 'random', seed: 7, ratios: { train: 0.8, validation: 0.1, test: 0.1 } };

describe('the json dataset format through the API', () => {
  it('freezes a JSON array named as json, and sniffs one named as nothing', async () => {
    const data = dataset(JSON.stringify(rows, null, 2));
    await uploadDataset(h, data);
    const named = await freezeSplit(h, data.sha256, { ...spec, format: 'json' });
    const sniffed = await freezeSplit(h, data.sha256, spec);
    expect(sniffed).toBe(named);
    const split = await call(h, 'GET', `/v1/splits/${named}`);
    expect(split.json.manifest.dataset.format).toBe('json');
    expect(split.json.manifest.dataset.rows).toBe(30);
  });

  it('accepts an explicit schema with format json and lists json in the OpenAPI format enum', async () => {
    const data = dataset(JSON.stringify(rows.map((r) => ({ ...r, id: String(r.id) }))));
    await uploadDataset(h, data);
    const id = await freezeSplit(h, data.sha256, { ...spec, format: 'json', schema: { id: 'int64' } });
    const split = await call(h, 'GET', `/v1/splits/${id}`);
    expect(split.json.manifest.dataset.schema[0]).toMatchObject({ name: 'id', type: 'Int64' });
    const doc = JSON.stringify((await call(h, 'GET', '/v1/openapi.json', { token: null })).json);
    expect(doc).toContain('"enum":["csv","jsonl","json","parquet","arrow","arrow-stream"]');
  });

  it('answers 422 JSON.UNCLOSED_ARRAY for a JSON array that is never closed', async () => {
    const data = dataset('[{"id":1},{"id":2}');
    await uploadDataset(h, data);
    const answer = await call(h, 'POST', '/v1/splits?wait=50', {
      body: { dataset: data.sha256, spec: { ...spec, format: 'json' } },
    });
    expect(answer.status).toBe(422);
    expect(answer.json.code).toBe('JSON.UNCLOSED_ARRAY');
  });
});
