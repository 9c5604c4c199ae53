import { expect, it } from 'vitest';
import { SERVICE_VERSION } from '../../functions/version.js';
import pkg from '../../package.json' with { type: 'json' };

it('reports the version package.json declares', () => {
  expect(SERVICE_VERSION).toBe(pkg.version);
});
