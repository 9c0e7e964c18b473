import type { SimulatorContext } from './context.js';
import type { ReceivedMessage } from './services/receive-customer-message.js';
import {
  newVisitorId,
  openWidget,
  receiveWidgetMessage,
  submitWidgetSelection,
  type WidgetMessageInput,
  type WidgetVisitor,
} from './services/receive-widget-message.js';
import type { ContactInboxRecord, MessageRecord } from './state/records.js';

/** A website visitor's browser: what the Chatwoot widget sends in for them. */
export interface WidgetTools {
  /** A fresh widget cookie (the contact inbox's source id). */
  newVisitorId(): string;
  /** The visitor opens the widget: `webwidget_triggered` to the inbox's bot. */
  open(visitor: WidgetVisitor): ContactInboxRecord;
  send(visitor: WidgetVisitor, input: WidgetMessageInput): ReceivedMessage;
  sendText(visitor: WidgetVisitor, text: string): ReceivedMessage;
  /** Click an option (by value or title) of an `input_select` message. */
  select(visitor: WidgetVisitor, messageId: number, option: string): MessageRecord;
}

export function createWidgetTools(context: SimulatorContext): WidgetTools {
  return {
    newVisitorId,
    open: (visitor) => openWidget(context, visitor),
    send: (visitor, input) => receiveWidgetMessage(context, visitor, input),
    sendText: (visitor, text) => receiveWidgetMessage(context, visitor, { kind: 'text', text }),
    select: (visitor, messageId, option) => submitWidgetSelection(context, visitor, messageId, option),
  };
}
