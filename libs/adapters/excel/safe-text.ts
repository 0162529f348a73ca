/**
 * A text cell that a spreadsheet would read as a formula (OWASP "CSV injection": a leading =, +, -, @, tab or CR)
 * gets a leading apostrophe, so the value is shown, never run. Free text such as a third party's name needs it.
 */
export function safeText(value: string | null | undefined): string {
  if (value === null || value === undefined) return '';
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}
