/**
 * A text body as the platform's `Request` and `Response` give it back, for the fake's requests and answers that
 * keep their body as a string instead of a byte stream: the same text, the same default type, the same refusal of
 * a second read.
 */

/** The type a `Request` or a `Response` gives a text body that names none. */
export const TEXT_BODY_TYPE = 'text/plain;charset=UTF-8';

/** The text a string body reads back as after its trip through UTF-8: lone surrogates replaced, a leading BOM dropped. */
export function readBackText(text: string): string {
  // ES2024's String methods (Node 20 has them; the project's lib stops at ES2023).
  const es2024 = text as string & { isWellFormed(): boolean; toWellFormed(): string };
  const wellFormed = es2024.isWellFormed() ? text : es2024.toWellFormed();
  return wellFormed.charCodeAt(0) === 0xfeff ? wellFormed.slice(1) : wellFormed;
}

/** What the platform throws when a body is read a second time. */
export function bodyAlreadyRead(): TypeError {
  return new TypeError('Body is unusable: Body has already been read');
}
