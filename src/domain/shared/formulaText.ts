/**
 * Spreadsheets run a cell starting with = + - @ (or tab or CR) as a formula; an apostrophe makes it text.
 * Exports defuse every text a person typed (in XLSX too: a string cell is safe until someone edits it or saves the
 * sheet as CSV, and then it must still be text); the import reads such a cell back as what was typed, so an
 * exported 库存 re-imports as it is.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function defuse(field: string): string {
  return FORMULA_START.test(field) ? `'${field}` : field;
}

/** What a defused cell said before the apostrophe; any other text as it is. */
export function undefuse(field: string): string {
  return field.startsWith("'") && FORMULA_START.test(field.slice(1)) ? field.slice(1) : field;
}
