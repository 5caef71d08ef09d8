/** A document that could not be parsed, with the offset where it went wrong. */
export class ParseFailure extends Error {
  constructor(
    message: string,
    readonly start: number,
    readonly end: number = start,
  ) {
    super(message);
  }
}
