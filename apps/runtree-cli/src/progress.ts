/** Below this many items the work is over before a bar would be worth reading. */
export const PROGRESS_THRESHOLD = 2000;
const REDRAW_EVERY_MS = 100;
const BAR_WIDTH = 30;

export interface Progress {
  advance(by?: number): void;
  /** Clears the bar, so what follows starts on a clean line. */
  done(): void;
}

/** The part of a terminal stream the bar needs (process.stderr, or a fake in tests). */
export interface ProgressStream {
  readonly isTTY?: boolean;
  write(text: string): boolean;
}

/**
 * A one-line progress bar on `stream`, drawn only on a terminal: piped output stays clean.
 * With no known total it shows a count. It appears once the work reaches PROGRESS_THRESHOLD items.
 */
export function progressBar(label: string, total: number | undefined, stream: ProgressStream = process.stderr, now: () => number = Date.now): Progress {
  if (!stream.isTTY) return { advance: () => undefined, done: () => undefined };
  let count = 0;
  let drawnAt = 0;
  let drawn = false;
  const draw = (): void => {
    const text =
      total === undefined || total === 0
        ? `${label} ${count}`
        : `${label} [${'#'.repeat(Math.floor((BAR_WIDTH * count) / total)).padEnd(BAR_WIDTH, '-')}] ${count}/${total}`;
    stream.write(`\r${text}\x1b[K`);
    drawn = true;
    drawnAt = now();
  };
  return {
    advance(by = 1) {
      count += by;
      if (Math.max(count, total ?? 0) < PROGRESS_THRESHOLD) return;
      if (!drawn || now() - drawnAt >= REDRAW_EVERY_MS || count === total) draw();
    },
    done() {
      if (drawn) stream.write('\r\x1b[K');
    },
  };
}
