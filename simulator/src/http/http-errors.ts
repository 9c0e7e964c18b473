/**
 * Chatwoot's error bodies (RequestExceptionHandler): most failures are `{ "error": "<message>" }`;
 * uncaught exceptions (an invalid enum value, for instance) are Rails' 500.
 */
export class ChatwootHttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly body: Record<string, unknown>,
  ) {
    super(typeof body.error === 'string' ? body.error : `HTTP ${statusCode}`);
    this.name = 'ChatwootHttpError';
  }
}

export const INVALID_TOKEN = 'Invalid Access Token';
export const BOT_ENDPOINT_FORBIDDEN = 'Access to this endpoint is not authorized for bots';
export const BOT_ACCOUNT_FORBIDDEN = 'Bot is not authorized to access this account';
export const USER_ACCOUNT_FORBIDDEN = 'You are not authorized to access this account';
export const NOT_FOUND = 'Resource could not be found';

export const unauthorized = (message: string): ChatwootHttpError =>
  new ChatwootHttpError(401, { error: message });
export const notFound = (message = NOT_FOUND): ChatwootHttpError =>
  new ChatwootHttpError(404, { error: message });
/** `render_could_not_create_error`: 422 with the exception message. */
export const unprocessable = (message: string): ChatwootHttpError =>
  new ChatwootHttpError(422, { error: message });
/** What Rails answers a JSON client when an exception escapes (e.g. `'foo' is not a valid status`). */
export const internalError = (): ChatwootHttpError =>
  new ChatwootHttpError(500, { status: 500, error: 'Internal Server Error' });
/** ActionDispatch::Http::Parameters::ParseError on a malformed body. */
export const badRequest = (): ChatwootHttpError =>
  new ChatwootHttpError(400, { status: 400, error: 'Bad Request' });
