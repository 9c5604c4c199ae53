import type { CommandResult } from '../context.js';
import { envFingerprint } from '../env-fingerprint.js';
import { renderFields } from '../table.js';

/** The fingerprint `freeze` attaches; needs no server. */
export async function envCommand(cwd: string, version: string): Promise<CommandResult> {
  const env = await envFingerprint(cwd, version);
  const locks = Object.entries(env.lockfiles);
  const text = renderFields([
    ['client', `${env.client} ${env.clientVersion}`],
    ['node', env.node],
    ['os', env.os],
    ['arch', env.arch],
    ['git', env.git ? `${env.git.commit}${env.git.dirty ? ' (dirty)' : ''}` : '(not a git checkout)'],
    ...(locks.length === 0
      ? ([['lockfiles', '(none in this directory)']] as const)
      : locks.map(([name, sha]) => [name, sha] as const)),
  ]);
  return { data: env, text };
}
