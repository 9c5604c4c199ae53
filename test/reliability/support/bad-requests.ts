/**
 * The bad-request matrix: each case is a request a careless or hostile client might send,
 * and the 4xx status and stable code it must get. `{m}` is a frozen manifest id, `{d}` its
 * dataset, `{a}` an alias at revision 1 pointing at `{m}`.
 */
export interface BadRequest {
  readonly name: string;
  readonly method: string;
  readonly path: string;
  /** A string is sent verbatim; an object as JSON. */
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
  readonly status: number;
  readonly code: string;
}

const HEX = 'c'.repeat(64);
const spec = (patch: Record<string, unknown>) => ({
  dataset: '{d}',
  spec: {
    strategy: 'random',
    seed: 1,
    ratios: { train: 0.8, validation: 0.1, test: 0.1 },
    format: 'csv',
    ...patch,
  },
});
const freezeRaw = (specText: string) => `{"dataset":"{d}","spec":${specText}}`;
const ratios = (train: unknown, validation: unknown, test: unknown) =>
  spec({ ratios: { train, validation, test } });
const move = { manifestId: '{m}', reason: 'bad input' };
const big = `{"dataset":"{d}","pad":"${'x'.repeat(2 * 1024 * 1024)}"}`;
const validSpec = JSON.stringify(spec({}).spec);
const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
const refused = (name: string, method: string, path: string, body: string, code: string): BadRequest => ({
  name,
  method,
  path,
  body,
  status: 400,
  code,
});

const INVALID = 'REQUEST.INVALID';
const bad = (name: string, method: string, path: string, body?: unknown): BadRequest => ({
  name,
  method,
  path,
  body,
  status: 400,
  code: INVALID,
});
const media = (name: string, method: string, path: string, type: string | undefined): BadRequest => ({
  name,
  method,
  path,
  body: '{}',
  headers: type === undefined ? { 'content-type': '' } : { 'content-type': type },
  status: 415,
  code: 'REQUEST.UNSUPPORTED_MEDIA_TYPE',
});
const missing = (name: string, method: string, path: string, code: string, body?: unknown): BadRequest => ({
  name,
  method,
  path,
  body,
  status: 404,
  code,
});

export const BAD_REQUESTS: readonly BadRequest[] = [
  {
    name: 'a freeze body cut off mid-object',
    method: 'POST',
    path: '/v1/splits',
    body: '{"dataset":',
    status: 400,
    code: 'REQUEST.MALFORMED_JSON',
  },
  {
    name: 'a dataset body that is not JSON at all',
    method: 'POST',
    path: '/v1/datasets',
    body: "{sha256: 'x'}",
    status: 400,
    code: 'REQUEST.MALFORMED_JSON',
  },
  {
    name: 'an alias body with trailing garbage',
    method: 'PUT',
    path: '/v1/aliases/{a}',
    body: '{"manifestId":"{m}"} }',
    status: 400,
    code: 'REQUEST.MALFORMED_JSON',
  },
  bad('a JSON null freeze body', 'POST', '/v1/splits', 'null'),
  bad('a JSON array dataset body', 'POST', '/v1/datasets', '[1,2,3]'),
  media('a freeze sent as text/plain', 'POST', '/v1/splits', 'text/plain'),
  media('an alias move with no content type', 'PUT', '/v1/aliases/{a}', undefined),
  media('a dataset sent as a form', 'POST', '/v1/datasets', 'multipart/form-data; boundary=x'),
  media('a rollback sent as XML', 'POST', '/v1/aliases/{a}/rollback', 'application/xml'),
  {
    name: 'a 2 MB freeze body',
    method: 'POST',
    path: '/v1/splits',
    body: big,
    status: 413,
    code: 'REQUEST.TOO_LARGE',
  },
  {
    name: 'a 2 MB alias body',
    method: 'PUT',
    path: '/v1/aliases/{a}',
    body: big,
    status: 413,
    code: 'REQUEST.TOO_LARGE',
  },
  {
    name: 'a freeze whose 500 KB environment would not fit one DynamoDB item',
    method: 'POST',
    path: '/v1/splits',
    body: { ...spec({}), environment: { pad: 'x'.repeat(500 * 1024) } },
    status: 413,
    code: 'REQUEST.PART_TOO_LARGE',
  },
  bad('a manifest id of the wrong length', 'GET', '/v1/splits/abc123'),
  bad('an upper-case dataset hash', 'GET', `/v1/datasets/${'C'.repeat(64)}`),
  bad('a non-hex artifact hash', 'GET', `/v1/artifacts/${'z'.repeat(64)}`),
  bad('a 63-character hash in a dataset registration', 'POST', '/v1/datasets', {
    sha256: 'c'.repeat(63),
    bytes: 10,
  }),
  bad('an upper-case dataset hash in a freeze', 'POST', '/v1/splits', {
    ...spec({}),
    dataset: 'C'.repeat(64),
  }),
  bad('an empty dataset (zero bytes)', 'POST', '/v1/datasets', {
    sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    bytes: 0,
  }),
  bad('a dataset larger than a presigned PUT allows', 'POST', '/v1/datasets', {
    sha256: HEX,
    bytes: 6 * 1024 ** 3,
  }),
  missing('an unknown manifest', 'GET', `/v1/splits/${HEX}`, 'SPLIT.NOT_FOUND'),
  missing('an unknown dataset', 'GET', `/v1/datasets/${HEX}`, 'DATASET.NOT_FOUND'),
  missing('an unknown job', 'GET', '/v1/jobs/no-such-job', 'JOB.NOT_FOUND'),
  missing('an unknown alias', 'GET', '/v1/aliases/no-such-alias', 'ALIAS.NOT_FOUND'),
  missing('an unknown artifact', 'GET', `/v1/artifacts/${HEX}`, 'BLOB.NOT_FOUND'),
  missing('a freeze of an unknown dataset', 'POST', '/v1/splits', 'DATASET.NOT_FOUND', {
    ...spec({}),
    dataset: HEX,
  }),
  missing('an alias moved to an unknown manifest', 'PUT', '/v1/aliases/{a}', 'SPLIT.NOT_FOUND', {
    ...move,
    manifestId: HEX,
  }),
  missing('a rollback of an unknown alias', 'POST', '/v1/aliases/no-such-alias/rollback', 'ALIAS.NOT_FOUND', {
    reason: 'x',
  }),
  missing('a verify of an unknown manifest', 'POST', `/v1/splits/${HEX}/verify`, 'SPLIT.NOT_FOUND'),
  missing('a provenance parent that is unknown', 'POST', '/v1/splits', 'PROVENANCE.UNKNOWN_PARENT', {
    ...spec({}),
    provenance: { parents: [HEX] },
  }),
  missing('a sticky parent that is unknown', 'POST', '/v1/splits', 'STICKY.UNKNOWN_PARENT', {
    ...spec({}),
    stickyTo: HEX,
  }),
  missing('a sticky parent alias that does not exist', 'POST', '/v1/splits', 'STICKY.UNKNOWN_PARENT', {
    ...spec({}),
    stickyTo: 'no-such-alias',
  }),
  refused(
    'a stickyBy column the sticky parent lacks',
    'POST',
    '/v1/splits',
    JSON.stringify({ ...spec({}), stickyTo: '{m}', stickyBy: 'no-such-column' }),
    'STICKY.UNKNOWN_COLUMN',
  ),
  bad('a stickyBy without stickyTo', 'POST', '/v1/splits', { ...spec({}), stickyBy: 'id' }),
  missing(
    'a rollback to a revision that never was',
    'POST',
    '/v1/aliases/{a}/rollback',
    'ALIAS.REVISION_NOT_FOUND',
    { reason: 'x', toRevision: 99 },
  ),
  bad('an alias named with an encoded ../', 'PUT', '/v1/aliases/..%2F..%2Fetc', move),
  missing(
    'an alias named with encoded dots only (URLs normalise it away)',
    'PUT',
    '/v1/aliases/%2E%2E',
    'ROUTE.NOT_FOUND',
    move,
  ),
  bad('an alias named with a NUL byte', 'PUT', '/v1/aliases/prod%00evil', move),
  bad('an alias history read through an encoded slash', 'GET', '/v1/aliases/a%2F..%2Fb/history'),
  bad('an alias download with a backslash traversal', 'GET', '/v1/aliases/..%5C..%5Cx/splits/train'),
  missing(
    'an alias path that climbs out with ../',
    'PUT',
    '/v1/aliases/../datasets',
    'ROUTE.NOT_FOUND',
    move,
  ),
  bad('an alias name of 65 characters', 'PUT', `/v1/aliases/${'a'.repeat(65)}`, move),
  missing('an empty alias name', 'PUT', '/v1/aliases/', 'ROUTE.NOT_FOUND', move),
  bad('an alias name in upper case', 'PUT', '/v1/aliases/Prod', move),
  bad('an alias move with an empty reason', 'PUT', '/v1/aliases/{a}', { ...move, reason: '' }),
  bad('a quarantine change with no reason', 'PUT', '/v1/aliases/{a}/policy', { quarantine: false }),
  bad('a quarantine policy given as a string', 'PUT', '/v1/aliases/{a}/policy', {
    quarantine: 'on',
    reason: 'x',
  }),
  bad('an alias move with allowTestLeak as a string', 'PUT', '/v1/aliases/{a}', {
    ...move,
    allowTestLeak: 'yes',
  }),
  missing(
    'a quarantine change of an unknown alias',
    'PUT',
    '/v1/aliases/no-such-alias/policy',
    'ALIAS.NOT_FOUND',
    {
      quarantine: true,
      reason: 'x',
    },
  ),
  {
    name: 'an alias move that would change its quarantine',
    method: 'PUT',
    path: '/v1/aliases/{a}',
    body: { ...move, quarantine: true },
    status: 409,
    code: 'ALIAS.POLICY_CHANGE',
  },
  bad('ratios summing to 0.9', 'POST', '/v1/splits', ratios(0.7, 0.1, 0.1)),
  bad('ratios summing to 1.1', 'POST', '/v1/splits', ratios(0.9, 0.1, 0.1)),
  bad('a negative ratio', 'POST', '/v1/splits', ratios(1.1, -0.2, 0.1)),
  bad('a ratio given as the string "NaN"', 'POST', '/v1/splits', ratios('NaN', 0.1, 0.1)),
  bad('a ratio given as the string "Infinity"', 'POST', '/v1/splits', ratios('Infinity', 0.1, 0.1)),
  bad(
    'a ratio of 1e999 (Infinity once parsed)',
    'POST',
    '/v1/splits',
    freezeRaw('{"strategy":"random","seed":1,"ratios":{"train":1e999,"validation":0,"test":0}}'),
  ),
  bad('a seed of -1', 'POST', '/v1/splits', spec({ seed: -1 })),
  bad(
    'a seed of 2^53',
    'POST',
    '/v1/splits',
    freezeRaw('{"strategy":"random","seed":9007199254740992,"ratios":{"train":1,"validation":0,"test":0}}'),
  ),
  bad('a fractional seed', 'POST', '/v1/splits', spec({ seed: 1.5 })),
  bad('a seed given as a string', 'POST', '/v1/splits', spec({ seed: '7' })),
  bad(
    'a seed of 1e999',
    'POST',
    '/v1/splits',
    freezeRaw('{"strategy":"random","seed":1e999,"ratios":{"train":1,"validation":0,"test":0}}'),
  ),
  bad('an unknown strategy', 'POST', '/v1/splits', spec({ strategy: 'magic' })),
  bad('a stratified split with no column', 'POST', '/v1/splits', spec({ strategy: 'stratified' })),
  bad(
    'a stratified-group split with no group column',
    'POST',
    '/v1/splits',
    spec({ strategy: 'stratified-group', stratifyBy: 'label' }),
  ),
  bad('an unknown spec field', 'POST', '/v1/splits', spec({ stratify: 'label' })),
  bad('an unknown format', 'POST', '/v1/splits', spec({ format: 'xlsx' })),
  {
    name: 'a stratifyBy column on a group split',
    method: 'POST',
    path: '/v1/splits',
    body: spec({ strategy: 'group', groupBy: 'label', stratifyBy: 'label' }),
    status: 400,
    code: 'SPEC.IRRELEVANT_FIELD',
  },
  {
    name: 'a key column on a stratified-group split',
    method: 'POST',
    path: '/v1/splits',
    body: spec({ strategy: 'stratified-group', stratifyBy: 'label', groupBy: 'label', key: 'label' }),
    status: 400,
    code: 'SPEC.IRRELEVANT_FIELD',
  },
  {
    name: 'a delimiter on a Parquet dataset',
    method: 'POST',
    path: '/v1/splits',
    body: spec({ format: 'parquet', delimiter: ';' }),
    status: 400,
    code: 'SPEC.IRRELEVANT_FIELD',
  },
  bad('a negative expected revision', 'PUT', '/v1/aliases/{a}', { ...move, expectedRevision: -1 }),
  {
    name: 'a stale expected revision',
    method: 'PUT',
    path: '/v1/aliases/{a}',
    body: { ...move, expectedRevision: 7 },
    status: 409,
    code: 'ALIAS.REVISION_CONFLICT',
  },
  {
    name: 'a rollback with nothing to go back to',
    method: 'POST',
    path: '/v1/aliases/{a}/rollback',
    body: { reason: 'x' },
    status: 409,
    code: 'ALIAS.NO_PREVIOUS',
  },
  bad('a wait longer than allowed', 'POST', '/v1/splits?wait=999', spec({})),
  bad('a page size of zero', 'GET', '/v1/aliases?limit=0'),
  bad('a page size that is not a number', 'GET', '/v1/audit?limit=abc'),
  bad('a download lifetime beyond the cap', 'GET', '/v1/splits/{m}/train?expiresIn=999999'),
  bad('an unknown split name', 'GET', '/v1/splits/{m}/holdout'),
  bad('a history time that is not a date', 'GET', '/v1/aliases/{a}/history?at=yesterday'),
  refused(
    'a freeze body nested 100,000 levels deep',
    'POST',
    '/v1/splits',
    `{"dataset":"{d}","spec":${validSpec},"environment":{"deep":${deep}}}`,
    'REQUEST.TOO_DEEP',
  ),
  refused('a dataset body of 100,000 nested arrays', 'POST', '/v1/datasets', deep, 'REQUEST.TOO_DEEP'),
  refused(
    'a __proto__ key in environment',
    'POST',
    '/v1/splits',
    `{"dataset":"{d}","spec":${validSpec},"environment":{"__proto__":{"polluted":true}}}`,
    'REQUEST.FORBIDDEN_KEY',
  ),
  refused(
    'a __proto__ key in spec.schema',
    'POST',
    '/v1/splits',
    `{"dataset":"{d}","spec":${validSpec.slice(0, -1)},"schema":{"__proto__":"int64"}}}`,
    'REQUEST.FORBIDDEN_KEY',
  ),
  {
    name: 'a membership query whose row is not 64 lower-case hex characters',
    method: 'GET',
    path: `/v1/splits/{m}/train/membership?row=${HEX.toUpperCase()}`,
    status: 400,
    code: 'REQUEST.INVALID',
  },
  {
    name: 'a membership query without a row',
    method: 'GET',
    path: '/v1/splits/{m}/train/membership',
    status: 400,
    code: 'REQUEST.INVALID',
  },
  refused(
    'a __proto__ key at the top of an alias move',
    'PUT',
    '/v1/aliases/{a}',
    '{"__proto__":{"expectedRevision":1},"manifestId":"{m}","reason":"bad input"}',
    'REQUEST.FORBIDDEN_KEY',
  ),
];
