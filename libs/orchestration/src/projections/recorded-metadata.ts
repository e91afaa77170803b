import type { JsonValue, RecordedEvent } from '@runtree/event-store';

function metadataField(recorded: RecordedEvent, key: string): JsonValue | undefined {
  const metadata = recorded.metadata;
  if (metadata === null || typeof metadata !== 'object' || Array.isArray(metadata)) return undefined;
  return metadata[key];
}

/** When the event happened by the domain's clock; the store's own timestamp only if the metadata lacks it. */
export function occurredAtOf(recorded: RecordedEvent): string {
  const occurredAt = metadataField(recorded, 'occurredAt');
  return typeof occurredAt === 'string' ? occurredAt : recorded.created.toISOString();
}

/** `NaN` when absent, which the decoder refuses as an unsupported version. */
export function schemaVersionOf(recorded: RecordedEvent): number {
  const version = metadataField(recorded, 'schemaVersion');
  return typeof version === 'number' ? version : Number.NaN;
}
