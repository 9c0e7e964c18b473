import type { UploadedFile } from '../services/create-outgoing-message.js';

export interface ParsedForm {
  fields: Record<string, unknown>;
  files: UploadedFile[];
}

/**
 * Parse `multipart/form-data` with the platform's own parser (undici's Request#formData), so no extra
 * dependency. `attachments[]` entries become files; nested Rails keys like `content_attributes[items]`
 * are left as flat keys except for the common JSON-string form.
 */
export async function parseMultipart(body: Buffer, contentType: string): Promise<ParsedForm> {
  const form = await new Request('http://simulator.invalid/', {
    method: 'POST',
    headers: { 'content-type': contentType },
    body,
  }).formData();
  const fields: Record<string, unknown> = {};
  const files: UploadedFile[] = [];
  for (const [key, value] of form.entries()) {
    if (typeof value === 'string') {
      fields[key] = value;
      continue;
    }
    if (key === 'attachments[]' || key === 'attachments') {
      files.push({
        bytes: Buffer.from(await value.arrayBuffer()),
        contentType: value.type || 'application/octet-stream',
        fileName: value.name || 'file',
      });
    }
  }
  return { fields, files };
}

/** `application/x-www-form-urlencoded`, flat. */
export function parseUrlEncoded(body: string): Record<string, unknown> {
  return Object.fromEntries(new URLSearchParams(body).entries());
}
