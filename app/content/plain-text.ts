/** Control characters other than tab and newline never reach storage (they carry no meaning in text). */
export function stripControlCharacters(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, "");
}
