/** The settings /staff/settings edits, in the form's order (client-safe mirror of settings-admin.server.ts). */
export const EDITABLE_NUMBER_KEYS = ["premoderationCount", "linkLimit", "hideThreshold", "supportsPerResident", "establishedAccountDays"] as const;
export const EDITABLE_SETTING_KEYS = [...EDITABLE_NUMBER_KEYS, "blockedWords"] as const;
