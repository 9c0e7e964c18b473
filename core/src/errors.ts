/**
 * An error that ends start-up with one clear line and no stack trace: the operator
 * needs to know what to fix (a URL, a key in a file), not where in our code it broke.
 */
export class StartupError extends Error {
  override readonly name = 'StartupError';
  static isInstance(error: unknown): error is StartupError {
    return error instanceof Error && error.name === 'StartupError';
  }
}

/** Removes the password from a connection URL so it can be logged or shown. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '<unparseable URL>';
  }
}
