import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, request, UNAUTHORIZED_EVENT } from './api.js';
import { forgetToken, storedToken } from './token.js';
import { RunPage, type RunTab } from './views/run-page.js';
import { RunsList } from './views/runs-list.js';
import { TokenPrompt } from './views/token-prompt.js';
import './styles.css';

type Route = { page: 'runs' } | { page: 'run'; runId: string; tab: RunTab };

/** `#/` lists runs; `#/runs/<id>` is a run's tree, `#/runs/<id>/journal` its journal. */
function routeOf(hash: string): Route {
  const match = /^#\/runs\/([^/]+)(\/journal)?$/.exec(hash);
  return match?.[1] ? { page: 'run', runId: decodeURIComponent(match[1]), tab: match[2] ? 'journal' : 'tree' } : { page: 'runs' };
}

type Access = 'checking' | 'open' | 'token_needed' | 'token_wrong';

function App() {
  const [route, setRoute] = useState(() => routeOf(location.hash));
  const [access, setAccess] = useState<Access>('checking');
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const onHash = () => setRoute(routeOf(location.hash));
    const onUnauthorized = () => setAccess(storedToken() === undefined ? 'token_needed' : 'token_wrong');
    window.addEventListener('hashchange', onHash);
    window.addEventListener(UNAUTHORIZED_EVENT, onUnauthorized);
    return () => {
      window.removeEventListener('hashchange', onHash);
      window.removeEventListener(UNAUTHORIZED_EVENT, onUnauthorized);
    };
  }, []);
  useEffect(() => {
    // One cheap call tells whether the API wants a token (and whether the stored one is right).
    request('/runs?limit=1')
      .then(() => setAccess('open'))
      .catch((error) => setAccess(error instanceof ApiError && error.status === 401 ? (storedToken() === undefined ? 'token_needed' : 'token_wrong') : 'open'));
  }, [attempt]);

  if (access === 'checking') return <p class="muted">Connecting…</p>;
  if (access !== 'open') return <TokenPrompt wrong={access === 'token_wrong'} onToken={() => setAttempt(attempt + 1)} />;
  return (
    <>
      <header class="top">
        <a href="#/" class="brand">
          Runtree
        </a>
        {storedToken() !== undefined && (
          <button
            type="button"
            onClick={() => {
              forgetToken();
              setAttempt(attempt + 1);
            }}
          >
            Forget the token
          </button>
        )}
      </header>
      {route.page === 'runs' ? <RunsList /> : <RunPage key={route.runId} runId={route.runId} tab={route.tab} />}
    </>
  );
}

render(<App />, document.getElementById('app') as HTMLElement);
