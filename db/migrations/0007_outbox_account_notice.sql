PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_outbox` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` integer,
	`to_address` text NOT NULL,
	`kind` text NOT NULL,
	`subject` text NOT NULL,
	`text` text NOT NULL,
	`html` text NOT NULL,
	`headers` text DEFAULT '{}' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`sent_at` integer,
	`delivered_via` text,
	`last_error` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "outbox_kind_check" CHECK(kind in ('verify_email', 'password_reset', 'notification', 'digest', 'account_notice')),
	CONSTRAINT "outbox_delivered_via_check" CHECK(delivered_via is null or delivered_via in ('smtp', 'file')),
	CONSTRAINT "outbox_attempts_check" CHECK(attempts >= 0)
);
--> statement-breakpoint
INSERT INTO `__new_outbox`("id", "user_id", "to_address", "kind", "subject", "text", "html", "headers", "attempts", "next_attempt_at", "sent_at", "delivered_via", "last_error", "created_at") SELECT "id", "user_id", "to_address", "kind", "subject", "text", "html", "headers", "attempts", "next_attempt_at", "sent_at", "delivered_via", "last_error", "created_at" FROM `outbox`;--> statement-breakpoint
-- Keep AUTOINCREMENT's promise across the rebuild: ids of pruned messages are never handed out again.
DELETE FROM sqlite_sequence WHERE name = '__new_outbox';--> statement-breakpoint
INSERT INTO sqlite_sequence(name, seq) SELECT '__new_outbox', seq FROM sqlite_sequence WHERE name = 'outbox';--> statement-breakpoint
DROP TABLE `outbox`;--> statement-breakpoint
ALTER TABLE `__new_outbox` RENAME TO `outbox`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE INDEX `outbox_due_idx` ON `outbox` (`next_attempt_at`) WHERE sent_at is null;--> statement-breakpoint
CREATE INDEX `outbox_sent_idx` ON `outbox` (`sent_at`);--> statement-breakpoint
CREATE INDEX `outbox_user_idx` ON `outbox` (`user_id`);