// The layering the design states (docs/architecture.md), checked on the real import graph.
import { describe, expect, it } from 'vitest';
import { cycles, type ImportEdge, importGraph } from './imports';

const edges = importGraph();
const importsOf = (file: string) => edges.filter((e) => e.from === file).map((e) => e.to);

describe('import structure', () => {
  it('finds cycles, type-only ones included, and nothing in an acyclic graph', () => {
    const edge = (from: string, to: string, typeOnly = false): ImportEdge => ({ from, to, typeOnly });
    expect(cycles([edge('a', 'b'), edge('b', 'c'), edge('c', 'a', true), edge('c', 'd')])).toEqual([
      ['a', 'b', 'c'],
    ]);
    expect(cycles([edge('a', 'a')])).toEqual([['a']]);
    expect(cycles([edge('a', 'b'), edge('a', 'c'), edge('b', 'c')])).toEqual([]);
  });

  it('reads the whole source tree, aliases and relative paths alike', () => {
    expect(edges.length).toBeGreaterThan(500);
    expect(importsOf('lib/session/state.ts')).toContain('lib/protocol/state.ts');
    expect(importsOf('lib/exercises/state.ts')).toContain('lib/protocol/state.ts');
    expect(importsOf('server/socket/index.ts').length).toBeGreaterThan(0);
    expect(importsOf('lib/compute/run.ts')).toContain('lib/viz/index.ts');
  });

  it('has no import cycle, not even through types', () => {
    expect(cycles(edges)).toEqual([]);
  });

  it('keeps lib/protocol at the bottom and lib free of the server and the app', () => {
    const protocolOut = edges.filter(
      (e) => e.from.startsWith('lib/protocol/') && !e.to.startsWith('lib/protocol/'),
    );
    expect(protocolOut).toEqual([]);
    const libOut = edges.filter((e) => e.from.startsWith('lib/') && !e.to.startsWith('lib/'));
    expect(libOut).toEqual([]);
  });

  it('reaches lib/viz through its index from outside lib/viz', () => {
    const inner = edges.filter(
      (e) => e.to.startsWith('lib/viz/') && !e.from.startsWith('lib/viz/') && e.to !== 'lib/viz/index.ts',
    );
    expect(inner.map((e) => `${e.from} → ${e.to}`)).toEqual([]);
  });
});
