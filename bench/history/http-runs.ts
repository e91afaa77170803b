import { forEachConcurrently, range } from '../support/concurrently.js';

/** Long enough for a loaded machine; short enough that a dead service does not stall the bench. */
const REQUEST_TIMEOUT_MS = 30_000;

/**
 * The body of `POST /runs/:id/complete` with an output of at least `bytes` bytes of JSON: chunks of
 * text as an agent's answer with its sources might carry. Built once; the service parses it afresh each time.
 */
export function completeBody(bytes: number): string {
  const chunk = (index: number) => ({ index, source: `https://example.org/sources/${index}`, text: 'Rayleigh scattering of sunlight by the molecules of the air. '.repeat(7) });
  const chunks = [];
  while (JSON.stringify(chunks).length < bytes) chunks.push(chunk(chunks.length));
  return JSON.stringify({ output: { answer: 'The sky is blue because of Rayleigh scattering.', chunks } });
}

/**
 * Writes `count` runs, `connections` at a time: each `POST /runs`, then `POST /runs/:id/complete`
 * with `body`. Rejects at the first answer that is not a 2xx, naming it.
 */
export async function writeCompletedRuns(baseUrl: string, count: number, connections: number, body: string, firstIndex: number): Promise<void> {
  await forEachConcurrently(range(count), connections, async (index) => {
    const started = await post(`${baseUrl}/runs`, JSON.stringify({ kind: 'bench_history', input: { question: `question ${firstIndex + index}` } }));
    const { runId } = JSON.parse(started) as { runId: string };
    await post(`${baseUrl}/runs/${runId}/complete`, body);
  });
}

async function post(url: string, body: string): Promise<string> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  const text = await response.text();
  if (!response.ok) throw new Error(`POST ${new URL(url).pathname} answered ${response.status}: ${text.slice(0, 300)}`);
  return text;
}
