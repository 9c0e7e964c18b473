/**
 * A small JSON-schema checker for the parts of Chatwoot's OpenAPI 3.1 document the simulator serves:
 * `$ref` (local), `allOf`, `anyOf`/`oneOf`, `type` (including `["string","null"]`), `enum`, `properties`,
 * `required`, `items`, `additionalProperties`. Formats and examples are ignored.
 */
export type JsonSchema = Record<string, unknown>;

export interface SwaggerDocument {
  paths: Record<string, Record<string, unknown>>;
  components: { schemas: Record<string, JsonSchema> };
}

export function resolveRef(document: SwaggerDocument, schema: JsonSchema): JsonSchema {
  let current = schema;
  const seen = new Set<string>();
  while (typeof current.$ref === 'string') {
    const ref = current.$ref;
    if (seen.has(ref)) throw new Error(`circular $ref ${ref}`);
    seen.add(ref);
    if (!ref.startsWith('#/')) throw new Error(`only local $refs are supported: ${ref}`);
    let target: unknown = document;
    for (const part of ref.slice(2).split('/')) target = (target as Record<string, unknown>)[part];
    if (!target || typeof target !== 'object') throw new Error(`unresolved $ref ${ref}`);
    current = target as JsonSchema;
  }
  return current;
}

export interface Operation {
  requestSchema: JsonSchema | null;
  multipartSchema: JsonSchema | null;
  responses: Record<string, JsonSchema | null>;
  security: string[];
}

/** The operation for a swagger path and method, with request and response schemas resolved. */
export function findOperation(document: SwaggerDocument, path: string, method: string): Operation | null {
  const item = document.paths[path];
  const operation = item?.[method.toLowerCase()] as Record<string, unknown> | undefined;
  if (!operation) return null;
  const content = (operation.requestBody as { content?: Record<string, { schema?: JsonSchema }> } | undefined)
    ?.content;
  const responses: Record<string, JsonSchema | null> = {};
  for (const [status, response] of Object.entries(
    (operation.responses ?? {}) as Record<string, Record<string, unknown>>,
  )) {
    const schema = (response.content as Record<string, { schema?: JsonSchema }> | undefined)?.[
      'application/json'
    ]?.schema;
    responses[status] = schema ?? null;
  }
  const security = ((operation.security ?? []) as Record<string, unknown>[]).flatMap((entry) =>
    Object.keys(entry),
  );
  return {
    requestSchema: content?.['application/json']?.schema ?? null,
    multipartSchema: content?.['multipart/form-data']?.schema ?? null,
    responses,
    security,
  };
}

/** Every problem found, as `<json path>: <what>`; empty when the value fits. */
export function validateAgainstSchema(
  document: SwaggerDocument,
  value: unknown,
  schemaIn: JsonSchema,
  path = '$',
): string[] {
  const schema = resolveRef(document, schemaIn);
  const problems: string[] = [];
  if (Array.isArray(schema.allOf)) {
    for (const part of schema.allOf as JsonSchema[])
      problems.push(...validateAgainstSchema(document, value, part, path));
  }
  for (const key of ['anyOf', 'oneOf'] as const) {
    if (Array.isArray(schema[key])) {
      const options = schema[key] as JsonSchema[];
      if (!options.some((option) => validateAgainstSchema(document, value, option, path).length === 0)) {
        problems.push(`${path}: matches none of ${key}`);
      }
    }
  }
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
    if (!types.some((type) => hasType(value, type))) {
      problems.push(`${path}: expected ${types.join('|')}, got ${describe(value)}`);
      return problems;
    }
  }
  if (Array.isArray(schema.enum) && !(schema.enum as unknown[]).includes(value as never)) {
    const nullable =
      value === null && Array.isArray(schema.type) && (schema.type as string[]).includes('null');
    if (!nullable)
      problems.push(`${path}: ${JSON.stringify(value)} not in enum ${JSON.stringify(schema.enum)}`);
  }
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const record = value as Record<string, unknown>;
    const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
    for (const required of (schema.required ?? []) as string[]) {
      if (!(required in record)) problems.push(`${path}.${required}: required`);
    }
    for (const [key, child] of Object.entries(record)) {
      if (properties[key])
        problems.push(...validateAgainstSchema(document, child, properties[key], `${path}.${key}`));
      else if (schema.additionalProperties === false) problems.push(`${path}.${key}: not allowed`);
      else if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
        problems.push(
          ...validateAgainstSchema(
            document,
            child,
            schema.additionalProperties as JsonSchema,
            `${path}.${key}`,
          ),
        );
      }
    }
  }
  if (Array.isArray(value) && schema.items && typeof schema.items === 'object') {
    value.forEach((item, index) =>
      problems.push(
        ...validateAgainstSchema(document, item, schema.items as JsonSchema, `${path}[${index}]`),
      ),
    );
  }
  return problems;
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'null':
      return value === null;
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number';
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'array':
      return Array.isArray(value);
    case 'object':
      return value !== null && typeof value === 'object' && !Array.isArray(value);
    default:
      return true;
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}
