import { describe, expect, it } from '@jest/globals';
import { LimitsPolicy, type LimitsPolicyConfig } from './index.js';
import { spawnRequest } from './spawn-request.fixture.js';

describe('LimitsPolicy', () => {
  it('with no limits allows everything', () => {
    const request = spawnRequest({ tree: { parentDepth: 99, parentChildCount: 99, runningDescendantsOfRoot: 99 } });
    expect(new LimitsPolicy({}).evaluate(request)).toEqual({ allowed: true });
  });

  describe('maxDepth (the child is at parentDepth + 1)', () => {
    const policy = new LimitsPolicy({ maxDepth: 3 });

    it.each([0, 1, 2])('allows a child of a parent at depth %i (child at or below the limit)', (parentDepth) => {
      expect(policy.evaluate(spawnRequest({ tree: { parentDepth } }))).toEqual({ allowed: true });
    });

    it('denies a child that would be one level deeper than the limit', () => {
      expect(policy.evaluate(spawnRequest({ tree: { parentDepth: 3 } }))).toEqual({
        allowed: false,
        limit: 'maxDepth',
        reason: 'depth 4 would exceed maxDepth 3',
      });
    });

    it('with maxDepth 0 allows no child at all', () => {
      expect(new LimitsPolicy({ maxDepth: 0 }).evaluate(spawnRequest())).toMatchObject({ allowed: false, limit: 'maxDepth' });
    });
  });

  describe('maxChildrenPerRun', () => {
    const policy = new LimitsPolicy({ maxChildrenPerRun: 2 });

    it.each([0, 1])('allows a child when the parent has %i children', (parentChildCount) => {
      expect(policy.evaluate(spawnRequest({ tree: { parentChildCount } }))).toEqual({ allowed: true });
    });

    it.each([2, 3])('denies a child when the parent already has %i children', (parentChildCount) => {
      expect(policy.evaluate(spawnRequest({ tree: { parentChildCount } }))).toEqual({
        allowed: false,
        limit: 'maxChildrenPerRun',
        reason: `run parent-1 has ${parentChildCount} children; child ${parentChildCount + 1} would exceed maxChildrenPerRun 2`,
      });
    });
  });

  describe('maxRunningDescendantsPerRoot', () => {
    const policy = new LimitsPolicy({ maxRunningDescendantsPerRoot: 5 });

    it.each([0, 4])('allows a child when the root has %i running descendants', (runningDescendantsOfRoot) => {
      expect(policy.evaluate(spawnRequest({ tree: { runningDescendantsOfRoot } }))).toEqual({ allowed: true });
    });

    it.each([5, 6])('denies a child when the root has %i running descendants', (runningDescendantsOfRoot) => {
      expect(policy.evaluate(spawnRequest({ tree: { runningDescendantsOfRoot } }))).toEqual({
        allowed: false,
        limit: 'maxRunningDescendantsPerRoot',
        reason: `root root-1 has ${runningDescendantsOfRoot} running descendants; ${runningDescendantsOfRoot + 1} would exceed maxRunningDescendantsPerRoot 5`,
      });
    });
  });

  describe('allowedKinds and deniedKinds', () => {
    it('allows only the listed kinds', () => {
      const policy = new LimitsPolicy({ allowedKinds: ['researcher', 'writer'] });
      expect(policy.evaluate(spawnRequest({ kind: 'writer' }))).toEqual({ allowed: true });
      expect(policy.evaluate(spawnRequest({ kind: 'shell' }))).toEqual({
        allowed: false,
        limit: 'allowedKinds',
        reason: 'kind "shell" is not in allowedKinds (researcher, writer)',
      });
    });

    it('with an empty allow-list allows no kind', () => {
      expect(new LimitsPolicy({ allowedKinds: [] }).evaluate(spawnRequest())).toMatchObject({ allowed: false, limit: 'allowedKinds' });
    });

    it('denies the listed kinds and allows the rest', () => {
      const policy = new LimitsPolicy({ deniedKinds: ['shell'] });
      expect(policy.evaluate(spawnRequest({ kind: 'writer' }))).toEqual({ allowed: true });
      expect(policy.evaluate(spawnRequest({ kind: 'shell' }))).toEqual({ allowed: false, limit: 'deniedKinds', reason: 'kind "shell" is in deniedKinds' });
    });

    it('compares kinds exactly', () => {
      expect(new LimitsPolicy({ deniedKinds: ['shell'] }).evaluate(spawnRequest({ kind: 'Shell' }))).toEqual({ allowed: true });
    });
  });

  it('reports the kind rule before the tree limits when several are broken', () => {
    const policy = new LimitsPolicy({ maxDepth: 1, maxChildrenPerRun: 1, deniedKinds: ['shell'] });
    expect(policy.evaluate(spawnRequest({ kind: 'shell', tree: { parentDepth: 5, parentChildCount: 5 } }))).toMatchObject({ limit: 'deniedKinds' });
    expect(policy.evaluate(spawnRequest({ kind: 'ok', tree: { parentDepth: 5, parentChildCount: 5 } }))).toMatchObject({ limit: 'maxDepth' });
  });

  describe('configuration', () => {
    const construct = (config: unknown) => () => new LimitsPolicy(config as LimitsPolicyConfig);

    it.each([
      [{ maxDepth: -1 }, 'maxDepth must be a non-negative integer'],
      [{ maxDepth: 1.5 }, 'maxDepth must be a non-negative integer'],
      [{ maxChildrenPerRun: '3' }, 'maxChildrenPerRun must be a non-negative integer'],
      [{ maxRunningDescendantsPerRoot: null }, 'maxRunningDescendantsPerRoot must be a non-negative integer'],
      [{ allowedKinds: 'writer' }, 'allowedKinds must be a list of kinds'],
      [{ deniedKinds: ['shell', ''] }, 'deniedKinds[1] must not be empty'],
      [{ maxDepht: 3 }, 'maxDepht is not an option of LimitsPolicy'],
      [null, 'config must be an object'],
    ])('refuses %p, naming the field', (config, message) => {
      expect(construct(config)).toThrow(`Invalid LimitsPolicy configuration: ${message}`);
    });

    it('refuses a kind both allowed and denied', () => {
      expect(construct({ allowedKinds: ['a', 'b'], deniedKinds: ['b'] })).toThrow('kind "b" is in both allowedKinds and deniedKinds');
    });

    it('accepts every limit at once', () => {
      expect(construct({ maxDepth: 0, maxChildrenPerRun: 10, maxRunningDescendantsPerRoot: 100, allowedKinds: ['a'], deniedKinds: ['b'] })).not.toThrow();
    });
  });
});
