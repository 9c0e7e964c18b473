/** A mistake the operator can fix (bad name, missing key, unknown document): its message is shown as is. */
export class KnowledgeBaseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KnowledgeBaseError';
  }
}
