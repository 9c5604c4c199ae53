import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderClassShares } from '../../functions/cli/commands/render-manifest.js';
import { buildSpec } from '../../functions/cli/spec-options.js';
import { call, freezeSplit, uploadDataset } from './support/client.js';
import { csvDataset } from './support/dataset.js';
import { type ApiHarness, embeddedHarness } from './support/harness.js';

let h: ApiHarness;
beforeAll(async () => {
  h = await embeddedHarness();
});
afterAll(async () => h?.close());

const spec = {
  strategy: 'stratified-group',
  stratifyBy: 'label',
  groupBy: 'value',
  seed: 3,
  ratios: { train: 0.6, validation: 0.2, test: 0.2 },
  format: 'csv',
} as const;

describe('stratified-group over the API', () => {
  it('freezes a stratified-group split and serves its class shares with the manifest', async () => {
    const data = csvDataset(120, 18);
    await uploadDataset(h, data);
    const id = await freezeSplit(h, data.sha256, spec);
    const view = await call(h, 'GET', `/v1/splits/${id}`);
    expect(view.status).toBe(200);
    expect(view.json.manifest.spec).toEqual({ ...spec, shuffle: false });
    expect(view.json.manifest.classShares.map((c: { key: string }) => c.key)).toEqual(['7361', '7362']);
    expect(renderClassShares(view.json.manifest)).toContain('sa');
  });

  it('refuses a key on a stratified-group request with SPEC.IRRELEVANT_FIELD', async () => {
    const data = csvDataset(30, 19);
    await uploadDataset(h, data);
    const answer = await call(h, 'POST', '/v1/splits?wait=50', {
      body: { dataset: data.sha256, spec: { ...spec, key: 'id' } },
    });
    expect(answer.status).toBe(400);
    expect(answer.json.code).toBe('SPEC.IRRELEVANT_FIELD');
    expect(answer.json.errors).toEqual([expect.objectContaining({ path: 'spec.key' })]);
  });

  it('publishes the strategy and the classShares field in the OpenAPI document', async () => {
    const doc = JSON.stringify((await call(h, 'GET', '/v1/openapi.json', { token: null })).json);
    expect(doc).toContain('"stratified-group"');
    expect(doc).toContain('"classShares"');
  });

  it('builds the CLI spec from --strategy stratified-group with both columns', () => {
    const flags = {
      strategy: 'stratified-group',
      stratifyBy: 'label',
      groupBy: 'value',
      seed: '3',
      ratios: '0.6,0.2,0.2',
    };
    expect(buildSpec(flags)).toEqual({
      strategy: 'stratified-group',
      stratifyBy: 'label',
      groupBy: 'value',
      seed: 3,
      ratios: { train: 0.6, validation: 0.2, test: 0.2 },
      shuffle: false,
    });
    expect(() => buildSpec({ ...flags, groupBy: undefined })).toThrow(
      expect.objectContaining({ detail: expect.stringContaining('needs groupBy') }),
    );
  });
});
