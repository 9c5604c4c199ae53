import { csvDataset, RANDOM_SPEC } from '../api/support/dataset.js';
import { http, uploadOverHttp } from '../api/support/http-flow.js';

/** What the browser tests look for: two manifests of one named dataset and an alias moved twice. */
export interface Seeded {
  readonly dataset: string;
  readonly parent: { id: string; splits: Record<'train' | 'validation' | 'test', { sha256: string }> };
  readonly child: { id: string };
}

/** Registers, uploads and freezes over HTTP, as a user would, then points `prod` at both. */
export async function seedVault(base: string, headers: Record<string, string> = {}): Promise<Seeded> {
  const data = csvDataset(120, 5);
  await uploadOverHttp(base, data, headers);
  await http(
    base,
    'POST',
    '/v1/datasets',
    { sha256: data.sha256, bytes: data.bytes.byteLength, name: 'iris.csv' },
    headers,
  );
  const freeze = async (seed: number, extra: object) => {
    const answer = await http(
      base,
      'POST',
      '/v1/splits?wait=50',
      { dataset: data.sha256, spec: { ...RANDOM_SPEC, seed }, ...extra },
      headers,
    );
    if (answer.status !== 201) throw new Error(`freeze: ${answer.status} ${JSON.stringify(answer.json)}`);
    return answer.json.manifest;
  };
  const parent = await freeze(7, { provenance: { version: 'v1' } });
  const child = await freeze(8, { provenance: { version: 'v2', parents: [parent.id] } });
  await http(base, 'PUT', '/v1/aliases/prod', { manifestId: parent.id, reason: 'first launch' }, headers);
  await http(base, 'PUT', '/v1/aliases/prod', { manifestId: child.id, reason: 'reseeded split' }, headers);
  return { dataset: data.sha256, parent, child };
}
