import { parse as parseUuid, v5 as uuidv5 } from 'uuid';

/**
 * UUID v5 ids in one namespace, as `uuidv5(name, namespace)` gives them: the namespace is parsed
 * once and the name passed as UTF-8 bytes, which spares the uuid package both steps on every id.
 */
export function nameBasedUuid(namespace: string): (name: string) => string {
  const namespaceBytes = parseUuid(namespace);
  return (name) => uuidv5(Buffer.from(name, 'utf8'), namespaceBytes);
}
