import { describe, expect, it } from 'vitest';
import { answerSummary, cellName, formatPercent, paintCounts } from '@/lib/exercises/cells';
import { csvField, toCsv } from '@/lib/exercises/csv';
import { leaderboard } from '@/lib/exercises/leaderboard';
import type { ExerciseResult } from '@/lib/protocol/exercise';
import type { ParticipantState } from '@/lib/session/state';
import { occlusionTask } from '../../helpers/exercise-tasks';

const task = occlusionTask({ imageId: 'mnist/0.png' });

describe('cells and answers', () => {
  it('names cells by row and column from 1', () => {
    expect(cellName(0, 6)).toBe('r1c1');
    expect(cellName(7, 6)).toBe('r2c2');
    expect(cellName(35, 6)).toBe('r6c6');
  });

  it('summarises answers in cell order, or as a percentage', () => {
    expect(answerSummary({ kind: 'occlusion', cells: [7, 0] }, task)).toBe('r1c1 r2c2');
    expect(answerSummary({ kind: 'occlusion', cells: [] }, task)).toBe('no cells');
    expect(answerSummary({ kind: 'probe', percent: 42.25 }, task)).toBe('42.3%');
    expect(formatPercent(50)).toBe('50');
  });

  it('counts how many students painted each cell', () => {
    const answers = [
      { kind: 'occlusion' as const, cells: [0, 1] },
      { kind: 'occlusion' as const, cells: [1, 2] },
      { kind: 'occlusion' as const, cells: [1] },
      { kind: 'occlusion' as const, cells: [] },
    ];
    expect(paintCounts(answers, 4)).toEqual([1, 3, 1, 0]);
  });
});

describe('leaderboard', () => {
  const person = (id: string, name: string): ParticipantState => ({
    id,
    name,
    role: 'student',
    joinedSeq: 1,
  });
  const result = (participantId: string, score: number): ExerciseResult => ({
    participantId,
    answer: { kind: 'probe', percent: 0 },
    score: { kind: 'probe', score, error: (1 - score) * 100 },
  });

  it('lists the best first, equal scores share a rank and go by name', () => {
    const people = {
      a: person('a', 'Cy'),
      b: person('b', 'Ada'),
      c: person('c', 'Ben'),
      d: person('d', 'Dee'),
    };
    const rows = leaderboard(
      [result('a', 0.6), result('b', 0.8), result('c', 0.6), result('d', 0.2)],
      people,
    );
    expect(rows.map((r) => [r.name, r.rank])).toEqual([
      ['Ada', 1],
      ['Ben', 2],
      ['Cy', 2],
      ['Dee', 4],
    ]);
  });

  it('is empty without results', () => {
    expect(leaderboard([], {})).toEqual([]);
  });

  it('can leave out zero scores without changing the others’ ranks', () => {
    const people = { a: person('a', 'Ada'), b: person('b', 'Ben'), c: person('c', 'Cy') };
    const results = [result('a', 0), result('b', 0.5), result('c', 0.5)];
    expect(leaderboard(results, people).map((r) => r.name)).toEqual(['Ben', 'Cy', 'Ada']);
    expect(leaderboard(results, people, { hideZero: true }).map((r) => [r.name, r.rank])).toEqual([
      ['Ben', 1],
      ['Cy', 1],
    ]);
  });
});

describe('CSV', () => {
  it('quotes fields with commas, quotes or line breaks and doubles quotes', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('Lee, Ann')).toBe('"Lee, Ann"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\rhere')).toBe('"cr\rhere"');
  });

  it('defuses text a spreadsheet would run as a formula, but not numbers', () => {
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField('+1')).toBe("'+1");
    expect(csvField('@me')).toBe("'@me");
    expect(csvField(-0.5)).toBe('-0.5');
  });

  it('writes empty fields for null and non-finite numbers, and ends every line with CRLF', () => {
    expect(csvField(null)).toBe('');
    expect(csvField(Number.NaN)).toBe('');
    expect(
      toCsv([
        ['a', 1, null],
        ['b,c', 2.5, 'x'],
      ]),
    ).toBe('a,1,\r\n"b,c",2.5,x\r\n');
  });
});
