/**
 * How long the platform keeps what it keeps, in one place: the housekeeping job enforces these
 * numbers and /privacy states them, so the page stays true of the code. No server imports here,
 * so the page can read them.
 */
export const RETENTION = {
  /** Sent e-mails (and their files in the demo's data/mail/), counted from sending. */
  sentMailDays: 30,
  /** Verification and reset links, counted from when they expire. */
  usedLinkDays: 7,
  /** Rate-limit counters, which name a client's network address; the longest window is a week. */
  rateLimitDays: 8,
  /** A session ends after this many days without use… */
  sessionIdleDays: 30,
  /** …and after this many days in any case. */
  sessionMaxDays: 180,
  /** Verification links work this long. */
  verifyLinkHours: 48,
  /** Password reset links work this long. */
  resetLinkMinutes: 60,
} as const;
