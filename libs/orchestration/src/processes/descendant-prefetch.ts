import { runStream } from '../streams/stream-names.js';
import type { StreamRef } from '../write/stream-repository.js';

/**
 * The runs of a tree a walk will meet, as the read side last knew them, level by level: handed
 * out a chunk at a time to be read alongside a level that must be read, so a narrow tree's walk
 * reads its streams in a few large reads. Only a hint: the walk decides on what the streams hold,
 * and reads any run not given here (spawned since) as it meets it.
 */
export class DescendantPrefetch {
  private handedOut = 0;

  constructor(
    private readonly runIds: readonly string[],
    private readonly chunk: number,
  ) {}

  /** The next chunk of run streams, none given before (bound: passed as `StreamRepository.warm`'s `ahead`). */
  readonly next = (): StreamRef[] => {
    const ids = this.runIds.slice(this.handedOut, this.handedOut + this.chunk);
    this.handedOut += ids.length;
    return ids.map((id) => ({ streamName: runStream(id), id }));
  };
}
