import { PassThrough, Readable, Transform, pipeline } from "node:stream";
import { stringify } from "csv-stringify";

/** Characters that make a spreadsheet read a cell as a formula (CSV injection, OWASP). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * A cell as written to a CSV file: text that a spreadsheet would run as a formula gets a leading
 * single quote ("=SUM(A1)" → "'=SUM(A1)"); numbers stay numbers; null is an empty cell.
 */
export function csvCell(value: unknown): string | number {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return Number.isFinite(value) ? value : "";
  if (typeof value === "boolean") return value ? "true" : "false";
  const text = value instanceof Date ? value.toISOString() : String(value);
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/**
 * A CSV file as a stream: UTF-8 with a byte-order mark (Excel then reads Indonesian text right),
 * RFC 4180 quoting with CRLF line ends, every cell neutralised. Rows are pulled from `rows` as the
 * reader consumes the file, so memory stays flat whatever the number of rows; `onClose` runs once
 * when the stream ends, fails or is abandoned by the client (close the reader connection there).
 */
export function csvStream(header: string[], rows: Iterable<unknown[]> | AsyncIterable<unknown[]>, onClose: () => void = () => {}): Readable {
  const source = Readable.from(
    (async function* () {
      yield header;
      yield* rows;
    })(),
    { objectMode: true, highWaterMark: 64 },
  );
  // csv-stringify quotes delimiters and quotes; line breaks inside a cell must be quoted too.
  const stringifier = stringify({ bom: true, record_delimiter: "windows", quoted_match: /[\r\n]/ });
  const out = new PassThrough();
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    onClose();
  };
  const cells = new Transform({
    objectMode: true,
    highWaterMark: 64,
    transform(row: unknown[], _encoding, done) {
      done(null, row.map(csvCell));
    },
  });
  pipeline(source, cells, stringifier, out, (error) => {
    close();
    if (error && !out.destroyed) out.destroy(error);
  });
  out.once("close", () => {
    // The client went away: stop reading rows.
    if (!source.destroyed) source.destroy();
    close();
  });
  return out;
}
