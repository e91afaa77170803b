import { useEffect, useRef, useState } from 'preact/hooks';
import { describeError, postJson, runPath } from '../api.js';
import { counted } from '../counted.js';
import { ErrorNote } from './error-note.js';

export type RunAction = 'cancel' | 'complete' | 'fail';

const actions: Record<RunAction, { title: string; field: string; label: string; required: boolean; confirm: string }> = {
  cancel: { title: 'Cancel the tree', field: 'reason', label: 'Reason (JSON or text)', required: false, confirm: 'Cancel the tree' },
  complete: { title: 'Complete the run', field: 'output', label: 'Output (JSON or text)', required: false, confirm: 'Complete the run' },
  fail: { title: 'Fail the run', field: 'error', label: 'Error (JSON or text)', required: true, confirm: 'Fail the run' },
};

/** What was typed, as JSON when it is JSON, else as a string. */
function payloadOf(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Asks to confirm an action on a run, then runs it; an error stays in the dialog with its code. */
export function ActionDialog({ runId, action, onClose, onDone }: { runId: string; action: RunAction; onClose: () => void; onDone: (message: string) => void }) {
  const { title, field, label, required, confirm } = actions[action];
  const dialog = useRef<HTMLDialogElement>(null);
  const [text, setText] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  useEffect(() => dialog.current?.showModal(), []);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const body = text.trim() === '' ? {} : { [field]: payloadOf(text) };
      if (action === 'cancel') {
        const result = await postJson<{ cancelled: string[] }>(runPath(runId, '/cancel'), body);
        onDone(`Cancelled ${counted(result.cancelled.length, 'run')} of the tree of ${runId}`);
      } else {
        await postJson(runPath(runId, `/${action}`), body);
        onDone(`${runId} ${action === 'complete' ? 'completed' : 'failed'}`);
      }
    } catch (caught) {
      setError(describeError(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <dialog ref={dialog} aria-labelledby="action-title" onClose={onClose}>
      <form onSubmit={(event) => void submit(event)}>
        <h2 id="action-title">{title}</h2>
        <p>
          Run <code>{runId}</code>
          {action === 'cancel' ? ' and every running descendant will be cancelled.' : ' must be running.'} This cannot be undone.
        </p>
        <label>
          {label}
          <textarea value={text} required={required} rows={3} onInput={(event) => setText((event.currentTarget as HTMLTextAreaElement).value)} />
        </label>
        <ErrorNote message={error} />
        <div class="buttons">
          <button type="button" onClick={() => dialog.current?.close()}>
            Back
          </button>
          <button type="submit" class="danger" disabled={busy}>
            {confirm}
          </button>
        </div>
      </form>
    </dialog>
  );
}
