import type { JsonValue } from '@runtree/event-store';

/** A payload column: SQL NULL is an absent value, anything else the JSON text of the value (JSON `null` included). */
export function toJsonColumn(value: JsonValue | undefined): string | null {
  return value === undefined ? null : JSON.stringify(value);
}

export function fromJsonColumn(text: unknown): JsonValue | undefined {
  return text === null || text === undefined ? undefined : (JSON.parse(String(text)) as JsonValue);
}

export function flag(value: boolean): number {
  return value ? 1 : 0;
}

/**
 * A label (kind, name) as its JSON string: labels may hold any UTF-16, lone surrogates and NUL
 * included, which neither database's text keeps as given; JSON's escapes do.
 */
export function toLabelColumn(label: string): string {
  return JSON.stringify(label);
}

export function fromLabelColumn(text: unknown): string {
  return JSON.parse(String(text)) as string;
}
