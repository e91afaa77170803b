import { useState } from 'preact/hooks';
import { storeToken } from '../token.js';
import { ErrorNote } from './error-note.js';

/** Asked once per tab: the service has RUNTREE_API_TOKEN set. */
export function TokenPrompt({ onToken, wrong }: { onToken: () => void; wrong: boolean }) {
  const [token, setToken] = useState('');
  return (
    <main class="token-prompt">
      <h1>API token</h1>
      <p>This Runtree needs its API token (RUNTREE_API_TOKEN). It is kept for this tab only and sent with every call.</p>
      <ErrorNote message={wrong ? 'unauthorized: that token is not valid' : undefined} />
      <form
        onSubmit={(event) => {
          event.preventDefault();
          storeToken(token.trim());
          onToken();
        }}
      >
        <label>
          Token <input type="password" autoComplete="off" required autoFocus value={token} onInput={(event) => setToken((event.currentTarget as HTMLInputElement).value)} />
        </label>
        <button type="submit">Use this token</button>
      </form>
    </main>
  );
}
