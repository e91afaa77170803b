import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

// Checks values against the schemas of a served document (OpenAPI 3.1, AsyncAPI 3.0): both use JSON
// Schema 2020-12, so one Ajv holds the whole document and a schema is named by its JSON pointer,
// its `#/components/schemas/...` references resolving inside the document as a client's would.

const DOCUMENT_ID = 'runtree-document';

function pointerOf(path: readonly string[]): string {
  return path.map((part) => part.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
}

export class DocumentValidator {
  private readonly ajv: Ajv2020;
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(readonly document: { readonly [key: string]: unknown }) {
    // Not strict: documents carry keywords of their own (OpenAPI's `example`, AsyncAPI's bindings).
    this.ajv = new Ajv2020({ strict: false, allErrors: true });
    (addFormats as unknown as (ajv: Ajv2020) => void)(this.ajv);
    this.ajv.addSchema({ ...document, $id: DOCUMENT_ID });
  }

  /** The value at a path of the document, or undefined. */
  at(path: readonly string[]): unknown {
    return path.reduce<unknown>((node, key) => (typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[key] : undefined), this.document);
  }

  /** Where `value` breaks the schema at `path` (`['paths', '/runs', 'post', ...]`); empty when it conforms. */
  violations(path: readonly string[], value: unknown): string[] {
    const pointer = pointerOf(path);
    let validate = this.compiled.get(pointer);
    if (validate === undefined) {
      validate = this.ajv.compile({ $ref: `${DOCUMENT_ID}#/${pointer}` });
      this.compiled.set(pointer, validate);
    }
    if (validate(value)) return [];
    return (validate.errors ?? []).map((error) => `${error.instancePath || '(root)'} ${error.message ?? 'is invalid'} ${JSON.stringify(error.params)}`);
  }
}
