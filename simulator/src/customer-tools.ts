import type { SimulatorContext } from './context.js';
import {
  receiveCustomerMessage,
  type CustomerMessageInput,
  type CustomerRef,
  type ReceivedMessage,
} from './services/receive-customer-message.js';
import type { ChannelSendRecord } from './recorder.js';

/** The customer's phone: what they send in, and what reached them from WhatsApp. */
export interface CustomerTools {
  send(customer: CustomerRef, input: CustomerMessageInput): ReceivedMessage;
  sendText(customer: CustomerRef, text: string): ReceivedMessage;
  /** A voice note: OGG/Opus bytes, no caption, `content` null in the webhook. */
  sendVoiceNote(customer: CustomerRef, audio: Buffer): ReceivedMessage;
  sendImage(
    customer: CustomerRef,
    image: Buffer,
    options?: { caption?: string; contentType?: string },
  ): ReceivedMessage;
  sendDocument(
    customer: CustomerRef,
    document: Buffer,
    options: { fileName: string; caption?: string; contentType?: string },
  ): ReceivedMessage;
  sendLocation(
    customer: CustomerRef,
    location: { latitude: number; longitude: number; name?: string; address?: string; url?: string },
  ): ReceivedMessage;
  /** Tapping an interactive button or list row: only the title reaches Chatwoot. */
  sendButtonReply(
    customer: CustomerRef,
    title: string,
    options?: { replyToMessageId?: number },
  ): ReceivedMessage;
  /** What WhatsApp delivered (or refused) to this phone, in order. */
  received(phone: string): ChannelSendRecord[];
}

export function createCustomerTools(context: SimulatorContext): CustomerTools {
  const send = (customer: CustomerRef, input: CustomerMessageInput): ReceivedMessage =>
    receiveCustomerMessage(context, customer, input);
  return {
    send,
    sendText: (customer, text) => send(customer, { kind: 'text', text }),
    sendVoiceNote: (customer, audio) => send(customer, { kind: 'voice', audio }),
    sendImage: (customer, image, options = {}) => send(customer, { kind: 'image', image, ...options }),
    sendDocument: (customer, document, options) => send(customer, { kind: 'document', document, ...options }),
    sendLocation: (customer, location) => send(customer, { kind: 'location', ...location }),
    sendButtonReply: (customer, title, options = {}) =>
      send(customer, { kind: 'button_reply', title, ...options }),
    received(phone) {
      const digits = phone.replace(/\D/g, '');
      return context.recorder.channelSends.filter((record) => record.to === digits);
    },
  };
}
