import { ValidationError } from '../core/errors.js';

/** Deepest nesting a JSON body may have; the deepest real one (a freeze request) has 4. */
export const MAX_JSON_DEPTH = 32;

/**
 * Checks a parsed JSON body before anything recursive touches it. V8's JSON.parse copes with
 * any depth, but JSON.stringify, zod and canonical JSON recurse, so 100,000 nested arrays
 * overflowed the stack (a 500). And JSON.parse makes `__proto__` an own key that zod's
 * records and objects then drop without a word, so a client's key silently vanished from
 * `environment` or `spec.schema`: refuse it instead. (`constructor` and `prototype` are
 * kept as ordinary keys, so they are left alone.) Walks with its own stack, never recursion.
 */
export function assertSafeJson(root: unknown): void {
  const pending: { value: unknown; depth: number; path: string }[] = [{ value: root, depth: 1, path: '' }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { value, depth, path } = next;
    if (typeof value !== 'object' || value === null) continue;
    if (depth > MAX_JSON_DEPTH) {
      throw new ValidationError(
        'REQUEST.TOO_DEEP',
        `request body nests deeper than ${MAX_JSON_DEPTH} levels`,
      );
    }
    if (!Array.isArray(value) && Object.hasOwn(value, '__proto__')) {
      throw new ValidationError(
        'REQUEST.FORBIDDEN_KEY',
        `request body has a "__proto__" key at ${path || '(root)'}; it can't be stored as data`,
        {
          details: {
            errors: [{ path: path ? `${path}.__proto__` : '__proto__', message: 'key not allowed' }],
          },
        },
      );
    }
    for (const [key, child] of Object.entries(value)) {
      pending.push({ value: child, depth: depth + 1, path: path ? `${path}.${key}` : key });
    }
  }
}
