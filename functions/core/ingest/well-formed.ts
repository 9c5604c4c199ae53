/** A lone UTF-16 surrogate: a high one not followed by a low one, or a low one not after a high. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * `text` with every lone surrogate replaced by U+FFFD. Only a JSON `\uD800`-style escape can
 * make one (ingest's UTF-8 is validated), and neither UTF-8 nor RFC 8785 has a form for it, so
 * keys and names get the replacement that TextEncoder already gives every written value.
 */
export function wellFormedText(text: string): string {
  return text.replace(LONE_SURROGATE, '\uFFFD');
}
