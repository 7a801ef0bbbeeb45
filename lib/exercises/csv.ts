// RFC 4180 CSV: fields with a comma, quote or line break are quoted, quotes doubled, lines end in CRLF.

export type CsvValue = string | number | null;

/**
 * Spreadsheets run a text cell that starts with = + - @ (or a tab or CR) as a
 * formula; names are typed by students, so such text gets a leading apostrophe.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvField(value: CsvValue): string {
  if (value === null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function toCsv(rows: readonly (readonly CsvValue[])[]): string {
  return `${rows.map((row) => row.map(csvField).join(',')).join('\r\n')}\r\n`;
}
