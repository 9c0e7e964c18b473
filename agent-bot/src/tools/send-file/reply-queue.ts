import type { OutgoingReply, Responder, TurnContext } from '../../responder/responder.js';

/**
 * Messages a tool wants sent in this turn (files). ToolContext has no way to add a reply yet,
 * so they wait here, keyed by the turn, until the responder takes them into its TurnReply
 * (`takeQueuedReplies(turn)`). Proposed as an additive `ToolContext.addReply` instead.
 */
const queues = new WeakMap<TurnContext, OutgoingReply[]>();

export function queueReply(turn: TurnContext, reply: OutgoingReply): void {
  const queue = queues.get(turn) ?? [];
  queue.push(reply);
  queues.set(turn, queue);
}

/** The queued replies, in call order; the queue is emptied. */
export function takeQueuedReplies(turn: TurnContext): OutgoingReply[] {
  const queue = queues.get(turn) ?? [];
  queues.delete(turn);
  return queue;
}

/**
 * Wraps a Responder so the files tools queued go out after its text, each as its own message
 * (WhatsApp sends only the first attachment of a message). Until the responder adds
 * `takeQueuedReplies` itself, the service wires `withToolReplies(createAssistantResponder(...))`.
 */
export function withToolReplies(responder: Responder): Responder {
  return {
    async respond(turn) {
      try {
        const reply = await responder.respond(turn);
        const queued = takeQueuedReplies(turn);
        return queued.length > 0 ? { ...reply, messages: [...reply.messages, ...queued] } : reply;
      } finally {
        takeQueuedReplies(turn);
      }
    },
  };
}
