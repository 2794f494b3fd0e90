/**
 * The fake's answers. The platform's `Response` turns a text body into a byte stream (a transferable
 * `ReadableStream` in Node) that `text()` then reads back chunk by chunk: about 25 µs of CPU for an answer the
 * fake already holds as a string. A {@link textResponse} keeps the string and hands it to `text()`, `json()`,
 * `arrayBuffer()` and `bytes()` as it is; the stream is made only when something asks for `body` itself (or for a
 * blob or a form), so it behaves as the platform's `Response` does, one-time body included.
 */
import { bodyAlreadyRead, readBackText, TEXT_BODY_TYPE } from './body-text.js';
import { NULL_BODY_STATUSES } from '../../core/exchange/null-body.js';

/** How a {@link textResponse}'s text was written: `json` by JSON.stringify, which reads back as it is. */
type Written = 'text' | 'json';

/** A `Response` with its body as text; see {@link defineTextResponse}. */
type TextResponseClass = new (text: string, init: ResponseInit, written: Written) => Response;

/**
 * Defines the class of {@link textResponse}'s answers: a `Response` whose body is text held as a string.
 * Everything but the body comes from the platform's `Response` (status, headers, `ok`, `type`); the body is read
 * once, as a real one is.
 */
function defineTextResponse(): TextResponseClass {
  return class TextResponse extends Response {
    readonly #text: string;
    /** What `text()` gives: the text after its trip through UTF-8, worked out when first read unless known. */
    #readBack: string | undefined;
    #read = false;
    /** The same answer with its body as a stream, made only when the stream itself is asked for. */
    #streamed: Response | undefined;

    /**
     * @param text - the body
     * @param init - the status, status text and headers
     * @param written - `json` when `text` is JSON.stringify's, which reads back as it is (it writes no lone
     *   surrogate and no byte order mark); `text` (the default) for any other text, which `text()` checks
     */
    constructor(text: string, init: ResponseInit, written: Written = 'text') {
      super(null, init);
      this.#text = text;
      if (written === 'json') this.#readBack = text;
      if (!this.headers.has('content-type')) this.headers.set('content-type', TEXT_BODY_TYPE);
    }

    /** The platform's `Response` of the same answer, whose body is read already when this one's is. */
    #platform(): Response {
      if (!this.#streamed) {
        this.#streamed = new Response(this.#text, { status: this.status, statusText: this.statusText, headers: this.headers });
        // A body read through the string leaves the stream used, as reading it would have.
        if (this.#read) this.#streamed.text().catch(() => undefined);
      }
      return this.#streamed;
    }

    /** Marks the body read; false when it was read before (by any means). */
    #take(): boolean {
      if (this.#read) return false;
      this.#read = true;
      return true;
    }

    /** The body as a stream, made on first access. */
    override get body(): ReadableStream<Uint8Array<ArrayBuffer>> | null {
      return this.#platform().body;
    }

    /** Whether the body was read, as text or as a stream. */
    override get bodyUsed(): boolean {
      return this.#streamed ? this.#streamed.bodyUsed : this.#read;
    }

    override text(): Promise<string> {
      if (this.#streamed) return this.#streamed.text();
      return this.#take() ? Promise.resolve((this.#readBack ??= readBackText(this.#text))) : Promise.reject(bodyAlreadyRead());
    }

    override json(): Promise<unknown> {
      return this.text().then((text) => JSON.parse(text) as unknown);
    }

    override arrayBuffer(): Promise<ArrayBuffer> {
      // The encoder's bytes fill their buffer in Node; a runtime that pools them gets an exact copy.
      return this.bytes().then((bytes) => (bytes.byteOffset === 0 && bytes.buffer.byteLength === bytes.byteLength ? bytes.buffer : bytes.slice().buffer));
    }

    override bytes(): Promise<Uint8Array<ArrayBuffer>> {
      if (this.#streamed) return this.#streamed.bytes();
      return this.#take() ? Promise.resolve(new TextEncoder().encode(this.#text)) : Promise.reject(bodyAlreadyRead());
    }

    override blob(): Promise<Blob> {
      return this.#platform().blob();
    }

    override formData(): Promise<FormData> {
      return this.#platform().formData();
    }

    override clone(): Response {
      if (this.#streamed || this.#read) return this.#platform().clone();
      const copy = new TextResponse(this.#text, { status: this.status, statusText: this.statusText, headers: this.headers });
      copy.#readBack = this.#readBack;
      return copy;
    }
  };
}

/**
 * The class, defined on the first answer: naming the global `Response` loads Node's fetch (about 30 ms), which a
 * program that imports /testing without making a fake should not pay for.
 */
let textResponseClass: TextResponseClass | undefined;

/**
 * An answer with a text body: a {@link TextResponse}, or, for a status that takes no body, the platform's
 * `Response`, which refuses it as it always has. `written`: `json` when `text` is JSON.stringify's (default `text`).
 */
export function textResponse(text: string, init: ResponseInit & { status: number }, written: Written = 'text'): Response {
  if (NULL_BODY_STATUSES.has(init.status)) return new Response(text, init);
  textResponseClass ??= defineTextResponse();
  return new textResponseClass(text, init, written);
}
