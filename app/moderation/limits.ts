/** Limits the browser can show; the server enforces its own copies (flags.server.ts). */
export const FLAG_NOTE_MAX_CLIENT = 500;
