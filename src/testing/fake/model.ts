/**
 * The shape of what `npm run generate` writes for the fake into `generated/<api>-fake.ts`: compiled request checks
 * and a table of each operation's parameters, bodies and declared answers. Nothing here compiles a schema.
 */

/** One problem a compiled check found (ajv's error object). */
export interface FakeCheckProblem {
  /** A JSON pointer to the offending value, such as `/message/entity_type`. */
  readonly instancePath: string;
  /** Where in the schema the problem was found (`#/components/schemas/X/oneOf/1/required`). */
  readonly schemaPath?: string;
  readonly keyword: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly message?: string;
}

/** A compiled check (ajv standalone): true when the data fits; otherwise `errors` says why. */
export type FakeCheck = ((data: unknown) => boolean) & { errors?: readonly FakeCheckProblem[] | null };

/** Every compiled check of one spec, by name. */
export type FakeChecks = Readonly<Record<string, FakeCheck>>;

/** One parameter as the fake reads it. */
export interface FakeParameter {
  readonly name: string;
  readonly in: 'path' | 'query' | 'header' | 'cookie';
  readonly required: boolean;
  /** The value is a JSON document (`content: application/json`), not a plain string. */
  readonly json?: true;
  /** The value is an array, written as repeated `name=` pairs. */
  readonly array?: true;
}

/** One declared answer. */
export interface FakeResponse {
  /** The status, or a range such as `4XX`. */
  readonly status: string;
  readonly contentType?: string;
  /** The examples by name; the first is the default answer. */
  readonly examples: Readonly<Record<string, unknown>>;
  /** The headers the answer declares, with their example value (or `null` without one). */
  readonly headers?: Readonly<Record<string, unknown>>;
}

/** One operation as the fake reads it. */
export interface FakeOperation {
  readonly parameters: readonly FakeParameter[];
  /** The name of the check of the parameters (`{ path, query, header }`), when there are any. */
  readonly parametersCheck?: string;
  /** Each request media type and the name of its check (`null`: no schema). */
  readonly bodies: Readonly<Record<string, string | null>>;
  readonly bodyRequired: boolean;
  readonly responses: readonly FakeResponse[];
}

/** Every operation of one spec, by operationId. */
export type FakeOperationTable = Readonly<Record<string, FakeOperation>>;

/** What `generated/<api>-fake.ts` exports. */
export interface FakeModule {
  readonly fakeChecks: FakeChecks;
  readonly fakeOperations: FakeOperationTable;
  readonly fakeServers: readonly string[];
  readonly fakeWebhookExamples: Readonly<Record<string, unknown>>;
}
