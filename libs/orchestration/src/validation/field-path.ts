/** A key as a step of a field path: `.name` for identifier-like keys, `["key"]` for any other (empty, spaced, dotted, control characters), so a path reads unambiguously. */
export function keyStep(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

/** The field path of `key` inside the value at `path` (`''` for the top level: `metadata`, `["odd key"]`). */
export function fieldPath(path: string, key: string): string {
  const step = keyStep(key);
  return path === '' && step.startsWith('.') ? step.slice(1) : path + step;
}
