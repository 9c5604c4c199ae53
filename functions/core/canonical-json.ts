import canonicalize from 'canonicalize';

/**
 * RFC 8785 (JCS) text of a JSON value: keys in UTF-16 code-unit order, ECMAScript number
 * formatting, no whitespace. Properties whose value is undefined are left out, as in JSON.
 */
export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new TypeError('canonicalJson: the value has no JSON form');
  return text;
}
