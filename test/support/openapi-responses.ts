import { DocumentValidator } from './document-validator.js';

// Every response the HTTP tests receive, checked against the OpenAPI document the service serves:
// its status must be documented for the route, its media type too, and its body must match.

interface Route {
  readonly template: string;
  readonly pattern: RegExp;
}

function routesOf(document: { readonly paths?: object }): Route[] {
  return Object.keys(document.paths ?? {}).map((template) => ({
    template,
    pattern: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`),
  }));
}

export interface ReceivedResponse {
  readonly status: number;
  readonly headers: { readonly [name: string]: unknown };
  readonly text?: string;
  readonly body?: unknown;
}

export class OpenApiResponses {
  private readonly validator: DocumentValidator;
  private readonly routes: Route[];

  constructor(document: { readonly [key: string]: unknown }) {
    this.validator = new DocumentValidator(document);
    this.routes = routesOf(document as { paths?: object });
  }

  /** What is wrong with a response to `method url`, by the document; empty when nothing is. */
  violations(method: string, url: string, response: ReceivedResponse): string[] {
    const path = new URL(url, 'http://service').pathname;
    const route = this.routes.find((candidate) => candidate.pattern.test(path));
    const operation = method.toLowerCase();
    if (route === undefined || this.validator.at(['paths', route.template, operation]) === undefined) {
      // Unknown routes answer the error envelope with 404: documented by nobody, still an envelope.
      return response.status === 404 ? this.bodyViolations(['components', 'schemas', 'ErrorEnvelope'], response, 'application/json') : [`${method} ${path}: no such route in the document`];
    }
    const responsePath = ['paths', route.template, operation, 'responses', String(response.status)];
    if (this.validator.at(responsePath) === undefined) return [`${method} ${route.template}: status ${response.status} is not documented`];
    const mediaType = String(response.headers['content-type'] ?? '').split(';')[0]!.trim();
    if (mediaType === '' && (response.text ?? '') === '') return [];
    const content = this.validator.at([...responsePath, 'content']) as Record<string, unknown> | undefined;
    if (content?.[mediaType] === undefined) return [`${method} ${route.template} ${response.status}: media type ${mediaType} is not documented`];
    return this.bodyViolations([...responsePath, 'content', mediaType, 'schema'], response, mediaType).map((violation) => `${method} ${route.template} ${response.status}: ${violation}`);
  }

  private bodyViolations(schemaPath: string[], response: ReceivedResponse, mediaType: string): string[] {
    if (mediaType === 'application/x-ndjson') {
      // A sequence: the schema is that of each line.
      const lines = (response.text ?? '').split('\n').filter((line) => line.length > 0);
      return lines.flatMap((line, index) => this.validator.violations(schemaPath, JSON.parse(line)).map((violation) => `line ${index + 1}: ${violation}`));
    }
    if (mediaType === 'application/json') return this.validator.violations(schemaPath, response.body);
    return this.validator.violations(schemaPath, response.text ?? '');
  }
}
