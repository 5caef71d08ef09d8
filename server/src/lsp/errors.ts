// Handlers never throw (STYLE.md 10): every failure becomes a line in the client's output channel.

/** The stack when there is one (the output channel is where people debug), else the message. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return String(error);
}

/** Wraps an LSP handler so a bug answers `fallback` and logs, instead of failing the request or the server. */
export function guarded<P extends unknown[], R>(
  name: string,
  fallback: R,
  logError: (message: string) => void,
  handler: (...params: P) => R | Promise<R>,
): (...params: P) => Promise<R> {
  return async (...params: P) => {
    try {
      return await handler(...params);
    } catch (error) {
      logError(`${name} failed: ${describeError(error)}`);
      return fallback;
    }
  };
}
