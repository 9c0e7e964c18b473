import type { AssistantConfig } from '@switchboard/core';
import type { HandoffRequest } from '../responder/responder.js';

/** A handoff request carrying the assistant's routing (team, assignee) from its policy. */
export function buildHandoff(
  reason: HandoffRequest['reason'],
  summary: string,
  customerMessage: string | undefined,
  assistant: AssistantConfig,
): HandoffRequest {
  const policy = assistant.conversation.handoff;
  return {
    reason,
    summary: summary.length > 1000 ? `${summary.slice(0, 1000)}…` : summary,
    ...(customerMessage ? { customerMessage } : {}),
    ...(policy.teamId !== undefined ? { teamId: policy.teamId } : {}),
    ...(policy.assigneeId !== undefined ? { assigneeId: policy.assigneeId } : {}),
  };
}
