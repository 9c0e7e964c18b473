import {
  envelopeFor,
  stableEventId,
  type AnalyticsEventInput,
  type EnvelopeSource,
} from '@switchboard/events';
import type { WhatsAppFee } from './whatsapp-fee.js';

export interface DeliveredPart {
  turnId: string;
  part: number;
  messageId: number;
  acceptedAt: Date;
  /** Set for a template part. */
  template?: { name: string; language: string; category: TemplateCategory } | undefined;
  purpose: string | null;
  /** null outside WhatsApp and for private notes. */
  fee: WhatsAppFee | null;
}

type TemplateCategory = 'marketing' | 'utility' | 'authentication';
type TemplatePurpose = 'reengagement' | 'follow_up' | 'reminder' | 'window_closed_reply';

/**
 * The events of one delivered reply part: a template's `template_sent` with its fee (kind
 * `whatsapp`), or a `whatsapp_fee` for a non-template message Meta charges for (none while
 * service messages are free). Ids are stable per (turn, part): a part recorded twice is one event.
 */
export function deliveredMessageEvents(
  conversation: EnvelopeSource,
  part: DeliveredPart,
): AnalyticsEventInput[] {
  const { fee } = part;
  const cost = fee ? { costUsd: fee.totalUsd, costKind: 'whatsapp' as const } : {};
  const priced = fee
    ? {
        feeRule: fee.rule,
        ...(fee.market ? { market: fee.market } : {}),
        ...(fee.country ? { country: fee.country } : {}),
      }
    : {};
  const base = {
    ...envelopeFor(conversation),
    occurredAt: part.acceptedAt.toISOString(),
    ...cost,
  };
  if (part.template) {
    return [
      {
        ...base,
        id: stableEventId('template_sent', part.turnId, part.part),
        type: 'template_sent',
        payload: {
          messageId: part.messageId,
          template: part.template.name,
          language: part.template.language,
          category: part.template.category,
          purpose: (part.purpose as TemplatePurpose | null) ?? 'reengagement',
          priceVersion: fee?.priceVersion ?? 'unpriced',
          ...priced,
        },
      },
    ];
  }
  if (!fee || (fee.priced && fee.totalUsd === '0')) return [];
  return [
    {
      ...base,
      id: stableEventId('whatsapp_fee', part.turnId, part.part),
      type: 'whatsapp_fee',
      payload: {
        messageId: part.messageId,
        category: 'service',
        ...(fee.market ? { market: fee.market } : {}),
        ...(fee.country ? { country: fee.country } : {}),
        feeRule: fee.rule,
        priceVersion: fee.priceVersion,
        turnId: part.turnId,
      },
    },
  ];
}

/**
 * The fee recorded when Chatwoot accepted a message, taken back because WhatsApp then failed to
 * deliver it (Meta charges delivered messages only): a `whatsapp_fee` of the negative amount, so
 * every sum (per conversation, per day, the budget) nets to what Meta bills. Stable id per part.
 */
export function refundedFeeEvent(
  conversation: EnvelopeSource,
  part: { turnId: string; part: number; messageId: number; failedAt: Date; category: WhatsAppFeeCategory },
  fee: Pick<WhatsAppFee, 'totalUsd' | 'priceVersion' | 'market'> & { country?: string | null },
): AnalyticsEventInput {
  return {
    ...envelopeFor(conversation),
    id: stableEventId('whatsapp_fee_refund', part.turnId, part.part),
    occurredAt: part.failedAt.toISOString(),
    costUsd: `-${fee.totalUsd}`,
    costKind: 'whatsapp',
    type: 'whatsapp_fee',
    payload: {
      messageId: part.messageId,
      category: part.category,
      ...(fee.market ? { market: fee.market } : {}),
      ...(fee.country ? { country: fee.country } : {}),
      feeRule: 'refund_undelivered',
      priceVersion: fee.priceVersion,
      turnId: part.turnId,
    },
  };
}

type WhatsAppFeeCategory = TemplateCategory | 'service';
