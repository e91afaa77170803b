/** The markers around the README's bus section, which is rendered from the AsyncAPI document. */
export const BUS_SECTION_BEGIN = '<!-- bus-section: rendered from the AsyncAPI document by `npm run docs:bus`; do not edit by hand -->';
export const BUS_SECTION_END = '<!-- /bus-section -->';

interface Schema {
  readonly $ref?: string;
  readonly type?: string;
  readonly properties?: { readonly [name: string]: Schema };
  readonly required?: readonly string[];
  readonly oneOf?: readonly Schema[];
  readonly items?: Schema;
}

interface AsyncApi {
  readonly channels: { readonly [id: string]: { readonly address: string | null; readonly title?: string; readonly description?: string } };
  readonly operations: { readonly [id: string]: { readonly action: string; readonly title?: string; readonly summary?: string; readonly channel: { readonly $ref: string } } };
  readonly components: {
    readonly schemas: { readonly [name: string]: Schema };
    readonly messages: { readonly [name: string]: { readonly description?: string; readonly payload: Schema } };
  };
}

const refName = (ref: string) => ref.slice(ref.lastIndexOf('/') + 1);

function typeName(schema: Schema): string {
  if (schema.$ref !== undefined) return refName(schema.$ref);
  if (schema.type === 'array' && schema.items !== undefined) return `${typeName(schema.items)}[]`;
  return schema.type ?? 'JSON';
}

function requestFields(schema: Schema): string {
  const required = new Set(schema.required ?? []);
  const fields = Object.keys(schema.properties ?? {}).sort((a, b) => Number(required.has(b)) - Number(required.has(a)));
  return fields.length === 0 ? '`{}`' : fields.map((field) => (required.has(field) ? `**${field}**` : field)).join(', ');
}

/** The README's bus section: how to call, every operation with its subject, request fields, reply and errors, and the event subjects. */
export function renderBusSection(document: AsyncApi): string {
  const rows = Object.entries(document.operations)
    .filter(([, operation]) => operation.action === 'receive')
    .map(([id, operation]) => {
      const channel = document.channels[refName(operation.channel.$ref)]!;
      const request = document.components.schemas[`${id}Request`]!;
      const reply = document.components.messages[`${id}Reply`]!;
      const value = reply.payload.oneOf?.[0]?.properties?.value ?? {};
      const errors = (reply.description ?? '').replace(/^Error codes: /, '');
      return `| \`${channel.address}\` | ${operation.summary ?? ''} | ${requestFields(request)} | ${typeName(value)} | ${errors} |`;
    });
  const events = Object.values(document.channels).filter((channel) => channel.title?.includes('events'));
  return [
    BUS_SECTION_BEGIN,
    '',
    '| subject (NATS) / AMQP `type` (RabbitMQ) | does | request fields (**required**) | reply `value` | error codes |',
    '|---|---|---|---|---|',
    ...rows,
    '',
    ...events.map((channel) => `- **${channel.title}**: \`${channel.address}\`. ${channel.description ?? ''}`),
    '',
    BUS_SECTION_END,
  ].join('\n');
}
