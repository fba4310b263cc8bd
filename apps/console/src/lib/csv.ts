/**
 * CSV (RFC 4180) with spreadsheet-formula neutralising: a cell that starts with =, +, -,
 * @, tab or carriage return is prefixed with an apostrophe so opening an export in a
 * spreadsheet cannot run a formula planted in, say, a key name or a user agent.
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  let text = typeof value === "string" ? value : typeof value === "object" ? JSON.stringify(value) : String(value);
  // Numbers are data, not formulas: only text is neutralised.
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(values: readonly unknown[]): string {
  return `${values.map(csvCell).join(",")}\r\n`;
}
