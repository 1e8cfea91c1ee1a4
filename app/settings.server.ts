import { eq } from "drizzle-orm";
import { z } from "zod";
import { tables, withWriteTx, type AppDb } from "~db/engine";

export interface RateRule {
  /** Requests allowed per window. */
  limit: number;
  windowSeconds: number;
}

const rateRule = z.object({
  limit: z.number().int().min(1).max(100000),
  windowSeconds: z
    .number()
    .int()
    .min(1)
    .max(7 * 86400),
});

/** Every setting with its type and default; the settings table only holds overrides. */
export const SETTINGS = {
  premoderationCount: { schema: z.number().int().min(0).max(100), default: 2 },
  linkLimit: { schema: z.number().int().min(0).max(100), default: 3 },
  hideThreshold: { schema: z.number().int().min(1).max(1000), default: 3 },
  establishedAccountDays: { schema: z.number().int().min(0).max(365), default: 3 },
  supportsPerResident: { schema: z.number().int().min(1).max(1000), default: 5 },
  blockedWords: { schema: z.array(z.string().min(1).max(100)).max(5000), default: [] as string[] },
  /**
   * Failed sign-ins per account from all addresses together. Once spent, an address that has
   * already failed for the account waits for the window to end; an address without failures (the
   * owner's) still gets its try. The back-off per account and address is signInFreeFailures.
   */
  rateSignInPerAccount: { schema: rateRule, default: { limit: 10, windowSeconds: 900 } as RateRule },
  rateSignInPerAddress: { schema: rateRule, default: { limit: 200, windowSeconds: 900 } as RateRule },
  rateSignUpPerAddress: { schema: rateRule, default: { limit: 30, windowSeconds: 3600 } as RateRule },
  rateCommentsPerMinute: { schema: rateRule, default: { limit: 6, windowSeconds: 60 } as RateRule },
  /** Stricter for accounts younger than establishedAccountDays. */
  rateCommentsPerMinuteNewAccount: { schema: rateRule, default: { limit: 2, windowSeconds: 60 } as RateRule },
  rateVotesPerMinute: { schema: rateRule, default: { limit: 10, windowSeconds: 60 } as RateRule },
  rateSupportsPerMinute: { schema: rateRule, default: { limit: 20, windowSeconds: 60 } as RateRule },
  rateProposalsPerDay: { schema: rateRule, default: { limit: 5, windowSeconds: 86400 } as RateRule },
  rateFlagsPerHour: { schema: rateRule, default: { limit: 20, windowSeconds: 3600 } as RateRule },
  /** Markdown previews per account (every preview form: comments, threads, proposals, answers, projects, updates). */
  ratePreviewsPerMinute: { schema: rateRule, default: { limit: 20, windowSeconds: 60 } as RateRule },
  /** Comment edits per account. */
  rateEditsPerHour: { schema: rateRule, default: { limit: 30, windowSeconds: 3600 } as RateRule },
  /** Revisions one comment may take; each edit keeps one, and a further edit is refused. */
  commentRevisionsMax: { schema: z.number().int().min(1).max(1000), default: 20 },
  /** Failed sign-ins for one account from one address before each further failure adds a growing delay there. */
  signInFreeFailures: { schema: z.number().int().min(0).max(100), default: 3 },
  /** Wrong second-factor codes per account before each further one adds a growing delay. */
  twoFactorFreeFailures: { schema: z.number().int().min(0).max(100), default: 3 },
  /** "Send the verification link again", per account. */
  rateVerificationResend: { schema: rateRule, default: { limit: 3, windowSeconds: 3600 } as RateRule },
  /** /forgot-password per client address; refusals say only "try later", never whether the address exists. */
  ratePasswordResetPerAddress: { schema: rateRule, default: { limit: 20, windowSeconds: 3600 } as RateRule },
  /** Reset links sent to one account; past the limit the page answers the same but sends nothing. */
  ratePasswordResetPerAccount: { schema: rateRule, default: { limit: 3, windowSeconds: 3600 } as RateRule },
  /** "Someone tried to register with your address" mails to one account; past the limit the page answers the same but sends nothing. */
  rateSignUpNoticePerAccount: { schema: rateRule, default: { limit: 3, windowSeconds: 3600 } as RateRule },
  /** Password attempts on /account/delete, per account. */
  rateAccountDeletePerAccount: { schema: rateRule, default: { limit: 5, windowSeconds: 900 } as RateRule },
  /** The data controller named on /privacy (UU 27/2022): the city government and how to reach it. */
  dataController: {
    schema: z.object({ name: z.string().trim().max(200), contact: z.string().trim().max(500) }),
    default: { name: "", contact: "" } as { name: string; contact: string },
  },
} satisfies Record<string, { schema: z.ZodType; default: unknown }>;

export type SettingKey = keyof typeof SETTINGS;
export type SettingValue<K extends SettingKey> = z.infer<(typeof SETTINGS)[K]["schema"]>;

/** The override if one is stored and still valid, otherwise the typed default. */
export async function getSetting<K extends SettingKey>(db: AppDb, key: K): Promise<SettingValue<K>> {
  const { settings } = tables(db);
  const [row] = await db.select({ value: settings.value }).from(settings).where(eq(settings.key, key)).limit(1);
  const def = SETTINGS[key];
  if (!row) return def.default as SettingValue<K>;
  try {
    const parsed = def.schema.safeParse(JSON.parse(row.value));
    return (parsed.success ? parsed.data : def.default) as SettingValue<K>;
  } catch {
    return def.default as SettingValue<K>;
  }
}

export class InvalidSettingError extends Error {
  constructor(public key: SettingKey) {
    super(`invalid value for setting ${key}`);
  }
}

export async function setSetting<K extends SettingKey>(db: AppDb, key: K, value: SettingValue<K>, updatedBy: number | null = null): Promise<void> {
  const parsed = SETTINGS[key].schema.safeParse(value);
  if (!parsed.success) throw new InvalidSettingError(key);
  const json = JSON.stringify(parsed.data);
  await withWriteTx(db, async (tx) => {
    const { settings } = tables(tx);
    await tx
      .insert(settings)
      .values({ key, value: json, updatedBy, updatedAt: new Date() })
      .onConflictDoUpdate({ target: settings.key, set: { value: json, updatedBy, updatedAt: new Date() } });
  });
}
