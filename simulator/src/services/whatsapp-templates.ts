import type { WhatsappTemplate } from '../state/records.js';

export interface TemplateParams {
  name?: unknown;
  category?: unknown;
  language?: unknown;
  namespace?: unknown;
  processed_params?: unknown;
}

/** Lookup in the inbox's cached `message_templates`: name, language (case-insensitive), approved. */
export function findTemplate(
  templates: WhatsappTemplate[],
  name: string,
  language: string | undefined,
): WhatsappTemplate | undefined {
  return templates.find(
    (template) =>
      template.name === name &&
      (language === undefined || template.language.toLowerCase() === language.toLowerCase()) &&
      template.status.toLowerCase() === 'approved',
  );
}

/** `<>"'` stripped, each value cut to 1000 characters (PopulateTemplateParametersService). */
export function sanitiseParameter(value: unknown): string {
  return String(value ?? '')
    .replace(/[<>"']/g, '')
    .slice(0, 1000);
}

/**
 * Graph API `components` for a found template. Legacy shapes (an array, or a flat `{"1": "x"}`) are read
 * as the body. Throws for a copy_code longer than 15 characters, as Chatwoot does.
 */
export function buildTemplateComponents(
  template: WhatsappTemplate,
  processedParams: unknown,
): Record<string, unknown>[] {
  const params = normaliseProcessedParams(processedParams);
  const components: Record<string, unknown>[] = [];
  const named = template.parameter_format === 'NAMED';
  const header = params.header as Record<string, unknown> | undefined;
  if (header && typeof header.media_url === 'string' && typeof header.media_type === 'string') {
    const mediaType = header.media_type;
    const media: Record<string, unknown> = { link: header.media_url };
    if (mediaType === 'document' && typeof header.media_name === 'string') media.filename = header.media_name;
    components.push({ type: 'header', parameters: [{ type: mediaType, [mediaType]: media }] });
  } else if (header && typeof header === 'object') {
    const values = Object.values(header).filter((value) => typeof value === 'string');
    if (values.length > 0)
      components.push({
        type: 'header',
        parameters: values.map((text) => ({ type: 'text', text: sanitiseParameter(text) })),
      });
  }
  const body = params.body as Record<string, unknown> | undefined;
  if (body && Object.keys(body).length > 0) {
    components.push({
      type: 'body',
      parameters: Object.entries(body).map(([key, value]) => {
        if (value && typeof value === 'object') return { ...(value as Record<string, unknown>) };
        const parameter: Record<string, unknown> = { type: 'text', text: sanitiseParameter(value) };
        if (named) parameter.parameter_name = key;
        return parameter;
      }),
    });
  }
  const buttons = Array.isArray(params.buttons) ? (params.buttons as Record<string, unknown>[]) : [];
  buttons.forEach((button, index) => {
    const parameter = sanitiseParameter(button.parameter);
    if (button.type === 'copy_code') {
      if (parameter.length > 15) throw new Error('Coupon code cannot exceed 15 characters');
      components.push({
        type: 'button',
        sub_type: 'copy_code',
        index,
        parameters: [{ type: 'coupon_code', coupon_code: parameter }],
      });
    } else {
      components.push({
        type: 'button',
        sub_type: 'url',
        index,
        parameters: [{ type: 'text', text: parameter }],
      });
    }
  });
  return components;
}

function normaliseProcessedParams(value: unknown): Record<string, unknown> {
  if (Array.isArray(value)) {
    return { body: Object.fromEntries(value.map((item, index) => [String(index + 1), item])) };
  }
  if (!value || typeof value !== 'object') return {};
  const record = value as Record<string, unknown>;
  const structured = ['body', 'header', 'buttons', 'footer'].some((key) => key in record);
  return structured ? record : { body: record };
}
