import { describe, expect, it } from '@jest/globals';
import { parseSoakOptions } from './soak-options.js';

describe('npm run soak options', () => {
  it('defaults to 200 clients for 60 s, and takes the flags given', () => {
    expect(parseSoakOptions(['--seed', '7'])).toEqual({ ok: true, options: { durationS: 60, clients: 200, seed: 7 } });
    expect(parseSoakOptions(['--duration', '10', '--clients', '20', '--seed', '1'])).toEqual({ ok: true, options: { durationS: 10, clients: 20, seed: 1 } });
  });

  it.each([
    [['--duration', 'abc'], '--duration must be an integer from 1 to 3600, got "abc"'],
    [['--clients', '0'], '--clients must be an integer from 1 to 2000, got "0"'],
    [['--seed', '-3'], '--seed: seed must be a non-negative integer, got "-3"'],
    [['--duration'], '--duration needs a value'],
    [['--minutes', '1'], 'unknown option --minutes'],
  ])('refuses %j, naming the flag and the reason', (argv, error) => {
    expect(parseSoakOptions(argv)).toEqual({ ok: false, error });
  });
});
