import { hash } from 'node:crypto';
import { parse as parseUuid } from 'uuid';

/**
 * UUID v5 ids in one namespace, exactly as `uuidv5(name, namespace)` gives them (SHA-1 of the
 * namespace's 16 bytes then the name's UTF-8, version and variant bits set), computed with one
 * one-shot hash per id: no Hash object and no byte-by-byte formatting, as it runs for every event written.
 */
export function nameBasedUuid(namespace: string): (name: string) => string {
  const namespaceBytes = Buffer.from(parseUuid(namespace));
  return (name) => {
    const bytes = Buffer.allocUnsafe(16 + Buffer.byteLength(name, 'utf8'));
    namespaceBytes.copy(bytes);
    bytes.write(name, 16, 'utf8');
    const hex = hash('sha1', bytes, 'hex');
    // Version 5 in the 13th digit; the variant's two top bits (10) in the 17th.
    const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  };
}
