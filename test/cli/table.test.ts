import { describe, expect, it } from 'vitest';
import { renderFields, renderTable } from '../../functions/cli/table.js';

describe('renderTable', () => {
  it.each([
    [['a', 'bb'], [], 'a  bb\n-  --'],
    [
      ['split', 'rows'],
      [
        ['train', 240],
        ['test', 30],
      ],
      'split  rows\n-----  ----\ntrain   240\ntest     30',
    ],
    [
      ['name', 'note'],
      [
        ['x', ''],
        ['longer', 'n'],
      ],
      'name    note\n------  ----\nx\nlonger  n',
    ],
  ] as const)('renders headers %o and rows %o', (headers, rows, expected) => {
    expect(renderTable(headers, rows)).toBe(expected);
  });
});

describe('renderFields', () => {
  it.each([
    [
      [
        ['id', 'x'],
        ['revision', 2],
      ],
      'id:        x\nrevision:  2',
    ],
    [
      [
        ['a', undefined],
        ['bb', 'y'],
      ],
      'bb:  y',
    ],
    [[], ''],
  ] as const)('renders %o', (fields, expected) => {
    expect(renderFields(fields)).toBe(expected);
  });
});
