/**
 * Where a job's work object is kept, relative to a work area's root: `jobs/<jobId>/<name>`.
 * Both parts are checked so that no id or name can reach outside its job's prefix (a `..`, a
 * slash) on either backend.
 */
const SAFE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export function workKey(jobId: string, name: string): string {
  for (const part of [jobId, name]) {
    if (!SAFE.test(part) || part.includes('..')) {
      throw new Error(`work object names are letters, digits, ".", "_" and "-": got ${JSON.stringify(part)}`);
    }
  }
  return `jobs/${jobId}/${name}`;
}
