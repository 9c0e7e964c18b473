import { describe, expect, it } from 'vitest';
import { readSwagger } from './fixtures.js';
import { findOperation, resolveRef, validateAgainstSchema, type SwaggerDocument } from './swagger-schema.js';

const swagger = readSwagger() as unknown as SwaggerDocument;

describe('swagger schema checker', () => {
  it('resolves $refs and finds operations with their security', () => {
    const operation = findOperation(
      swagger,
      '/api/v1/accounts/{account_id}/conversations/{conversation_id}/messages',
      'POST',
    );
    expect(operation?.security).toEqual(['userApiKey', 'agentBotApiKey']);
    expect(resolveRef(swagger, operation!.requestSchema!)).toHaveProperty('properties.template_params');
    expect(findOperation(swagger, '/api/v1/nowhere', 'GET')).toBeNull();
  });

  it('reports wrong types, enums, required keys and nested problems', () => {
    const schema = { $ref: '#/components/schemas/message' };
    expect(
      validateAgainstSchema(swagger, { id: 1, message_type: 1, status: null, source_id: null }, schema),
    ).toEqual([]);
    expect(validateAgainstSchema(swagger, { message_type: 'outgoing' }, schema)).toEqual([
      '$.message_type: expected integer, got string',
    ]);
    expect(validateAgainstSchema(swagger, { status: 'queued' }, schema)).toEqual([
      '$.status: "queued" not in enum ["sent","delivered","read","failed",null]',
    ]);
    const labels = findOperation(
      swagger,
      '/api/v1/accounts/{account_id}/conversations/{conversation_id}/labels',
      'POST',
    )!;
    expect(validateAgainstSchema(swagger, {}, labels.requestSchema!)).toEqual(['$.labels: required']);
    expect(validateAgainstSchema(swagger, { labels: [1] }, labels.requestSchema!)).toEqual([
      '$.labels[0]: expected string, got number',
    ]);
  });
});
