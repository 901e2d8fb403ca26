// A small CSV reader (RFC 4180): comma-separated fields, fields in double quotes may hold commas,
// line breaks and doubled quotes (""); lines end with LF or CRLF. Empty lines are ignored.

/** The rows of a CSV text as arrays of field strings. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let inQuotes = false;
  const endRow = () => {
    row.push(field);
    if (row.length > 1 || row[0] !== '') rows.push(row);
    row = [];
    field = '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inQuotes) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') inQuotes = false;
      else field += c;
    } else if (c === '"') inQuotes = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n') endRow();
    else if (c !== '\r' || text[i + 1] !== '\n') field += c;
  }
  if (inQuotes) throw new Error('parseCsv: a quoted field is not closed before the end of the text');
  if (field !== '' || row.length > 0) endRow();
  return rows;
}

/** The rows of a CSV with a header line, as objects keyed by the (trimmed) column names. */
export function parseCsvRecords(text: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(text.replace(/^\uFEFF/, ''));
  if (!header) return [];
  const columns = header.map((name) => name.trim());
  return rows.map((fields) => Object.fromEntries(columns.map((column, i) => [column, fields[i] ?? ''])));
}
