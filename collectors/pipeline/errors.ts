/** Errors of the ingest pipeline. Receivers map them to their protocol's status codes. */

/** The queue is full: the sender should retry later (HTTP 429/503 + Retry-After, gRPC RESOURCE_EXHAUSTED). */
export class BackpressureError extends Error {
  override name = 'BackpressureError';
  constructor(
    public readonly table: string,
    public readonly retryAfterSeconds = 5,
  ) {
    super(`the ${table} queue is full; retry after ${retryAfterSeconds}s`);
  }
}

/** The pipeline is stopping or stopped: new data is refused (HTTP 503, gRPC UNAVAILABLE). */
export class ShuttingDownError extends Error {
  override name = 'ShuttingDownError';
  constructor() {
    super(
      'Meshlens is shutting down; retry against another instance or after restart',
    );
  }
}

/** ClickHouse error codes that no retry will fix (bad data or schema), from ErrorCodes.cpp. */
const PERMANENT_CODES = new Set([
  '6', // CANNOT_PARSE_TEXT
  '26', // CANNOT_PARSE_QUOTED_STRING
  '27', // CANNOT_PARSE_INPUT_ASSERTION_FAILED
  '38', // CANNOT_PARSE_DATE
  '41', // CANNOT_PARSE_DATETIME
  '53', // TYPE_MISMATCH
  '62', // SYNTAX_ERROR
  '69', // ARGUMENT_OUT_OF_BOUND
  '70', // CANNOT_CONVERT_TYPE
  '72', // CANNOT_PARSE_NUMBER
  '117', // INCORRECT_DATA
  '131', // TOO_LARGE_STRING_SIZE
  '321', // VALUE_IS_OUT_OF_RANGE_OF_DATA_TYPE
  '349', // CANNOT_INSERT_NULL_IN_ORDINARY_COLUMN
  '36', // BAD_ARGUMENTS
]);

/** True when an insert error is about the rows themselves, so retrying the same rows is useless. */
export function isPermanentInsertError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && PERMANENT_CODES.has(code);
}

/** A row value the insert encoder cannot turn into its column's type: permanent, like a parse error. */
export class RowValueError extends Error {
  override name = 'RowValueError';
  /** CANNOT_PARSE_TEXT, so callers treat it as the engine's own refusal of a bad row. */
  readonly code = '6';
}
