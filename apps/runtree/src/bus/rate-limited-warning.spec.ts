import { describe, expect, it } from '@jest/globals';
import { RateLimitedWarning } from './rate-limited-warning.js';

describe('a rate-limited warning', () => {
  it('logs the first warning, holds back the rest for the interval, then logs again saying how many it held back', () => {
    const lines: string[] = [];
    let now = 0;
    const warning = new RateLimitedWarning({ warn: (line: string) => void lines.push(line) }, 60_000, () => now);

    for (let i = 0; i < 1_000; i++) warning.warn(`junk ${i}`);
    expect(lines).toEqual(['junk 0']);

    now = 59_999;
    warning.warn('junk late');
    expect(lines).toHaveLength(1);

    now = 60_000;
    warning.warn('junk next minute');
    expect(lines).toEqual(['junk 0', 'junk next minute (1000 more like it since the last such warning)']);
  });
});
