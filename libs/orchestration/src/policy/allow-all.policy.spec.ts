import { describe, expect, it } from '@jest/globals';
import { AllowAllPolicy } from './index.js';
import { spawnRequest } from './spawn-request.fixture.js';

describe('AllowAllPolicy', () => {
  it('allows a spawn however big the tree already is', () => {
    const request = spawnRequest({ kind: 'anything', tree: { parentDepth: 10_000, parentChildCount: 10_000, runningDescendantsOfRoot: 10_000 } });
    expect(new AllowAllPolicy().evaluate(request)).toEqual({ allowed: true });
  });

  it('allows a delegation', () => {
    expect(new AllowAllPolicy().evaluate(spawnRequest({ relation: 'delegated', task: { do: 'it' } }))).toEqual({ allowed: true });
  });
});
