/**
 * One short cell for a freeze event's environment in `show`: which client and runtime froze
 * it and from which commit, e.g. "python 3.11.7, git 1a2b3c4d5e6f+dirty". The full record is
 * in `show --json`. Fields are read defensively: environments are free-form JSON.
 */
export function environmentSummary(environment: Readonly<Record<string, unknown>> | undefined): string {
  if (!environment) return '';
  const parts: string[] = [];
  const text = (key: string) =>
    typeof environment[key] === 'string' ? (environment[key] as string) : undefined;
  const python = text('python');
  const node = text('node');
  if (python) parts.push(`python ${python}`);
  else if (node) parts.push(`node ${node.replace(/^v/, '')}`);
  else if (text('client')) parts.push(text('client')!);
  const git = environment.git as { commit?: unknown; dirty?: unknown } | undefined;
  if (git && typeof git.commit === 'string') {
    parts.push(`git ${git.commit.slice(0, 12)}${git.dirty === true ? '+dirty' : ''}`);
  }
  return parts.join(', ');
}
