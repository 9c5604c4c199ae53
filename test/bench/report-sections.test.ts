import { describe, expect, it } from 'vitest';
import { upsertSection } from '../../bench/report/sections.js';

const block = (name: string, body: string) =>
  `<!-- bench:${name}:start -->\n${body}\n<!-- bench:${name}:end -->`;

describe('upsertSection', () => {
  it.each([
    { case: 'starts a report from nothing', text: '', want: `# Benchmarks\n\n${block('engine', 'new')}\n` },
    {
      case: 'appends a section after hand-written text',
      text: '# Benchmarks\n\n## Lambda bundles\n\nhand\n',
      want: `# Benchmarks\n\n## Lambda bundles\n\nhand\n\n${block('engine', 'new')}\n`,
    },
    {
      case: 'replaces only its own block and keeps what follows',
      text: `# B\n\n${block('engine', 'old')}\n\n## Lambda bundles\n`,
      want: `# B\n\n${block('engine', 'new')}\n\n## Lambda bundles\n`,
    },
    {
      case: 'leaves another generated block alone',
      text: `# B\n\n${block('compare', 'theirs')}\n`,
      want: `# B\n\n${block('compare', 'theirs')}\n\n${block('engine', 'new')}\n`,
    },
  ])('$case', ({ text, want }) => {
    expect(upsertSection(text, 'engine', 'new')).toBe(want);
  });
});
