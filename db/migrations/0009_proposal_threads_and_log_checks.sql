-- A proposal has at most one discussion thread, and a thread's proposal exists; the moderation log
-- accepts only the actions and target types the app writes. SQLite adds a foreign key or a CHECK
-- by rebuilding the table: the rebuild keeps each table's AUTOINCREMENT counter and puts back the
-- triggers that DROP TABLE removes (search indexing of threads, the append-only log).
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_threads` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`project_id` integer NOT NULL,
	`author_id` integer NOT NULL,
	`title` text NOT NULL,
	`body_source` text NOT NULL,
	`body_html` text NOT NULL,
	`visibility` text DEFAULT 'published' NOT NULL,
	`pinned` integer DEFAULT false NOT NULL,
	`locked` integer DEFAULT false NOT NULL,
	`proposal_id` integer,
	`comment_count` integer DEFAULT 0 NOT NULL,
	`last_activity_at` integer,
	`edited_at` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`author_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`proposal_id`) REFERENCES `proposals`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "threads_visibility_check" CHECK(visibility in ('pending', 'published', 'hidden', 'rejected', 'deleted'))
);
--> statement-breakpoint
INSERT INTO `__new_threads`("id", "project_id", "author_id", "title", "body_source", "body_html", "visibility", "pinned", "locked", "proposal_id", "comment_count", "last_activity_at", "edited_at", "created_at") SELECT "id", "project_id", "author_id", "title", "body_source", "body_html", "visibility", "pinned", "locked", "proposal_id", "comment_count", "last_activity_at", "edited_at", "created_at" FROM `threads`;--> statement-breakpoint
-- Keep AUTOINCREMENT's promise across the rebuild: ids are never handed out again.
DELETE FROM sqlite_sequence WHERE name = '__new_threads';--> statement-breakpoint
INSERT INTO sqlite_sequence(name, seq) SELECT '__new_threads', seq FROM sqlite_sequence WHERE name = 'threads';--> statement-breakpoint
DROP TABLE `threads`;--> statement-breakpoint
ALTER TABLE `__new_threads` RENAME TO `threads`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE INDEX `threads_project_list_idx` ON `threads` (`project_id`,`visibility`,`pinned`,`last_activity_at`);--> statement-breakpoint
CREATE INDEX `threads_author_idx` ON `threads` (`author_id`,`created_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `threads_proposal_unique` ON `threads` (`proposal_id`) WHERE proposal_id is not null;--> statement-breakpoint
-- The search triggers of 0002_search, as they were.
CREATE TRIGGER search_threads_ai AFTER INSERT ON threads WHEN new.visibility = 'published' AND new.proposal_id IS NULL
BEGIN
  INSERT INTO search_index (rowid, title, body, kind, project_id) VALUES (new.id * 4 + 1, new.title, new.body_source, 'thread', new.project_id);
END;
--> statement-breakpoint
CREATE TRIGGER search_threads_au AFTER UPDATE OF title, body_source, visibility ON threads
BEGIN
  DELETE FROM search_index WHERE rowid = old.id * 4 + 1;
  INSERT INTO search_index (rowid, title, body, kind, project_id)
    SELECT new.id * 4 + 1, new.title, new.body_source, 'thread', new.project_id WHERE new.visibility = 'published' AND new.proposal_id IS NULL;
END;
--> statement-breakpoint
CREATE TABLE `__new_moderation_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`actor_id` integer,
	`action` text NOT NULL,
	`target_type` text NOT NULL,
	`target_id` text,
	`reason` text,
	`details` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`actor_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "moderation_log_action_check" CHECK(action in ('role_change', 'project_create', 'project_edit', 'phase_change', 'proposal_answer', 'thread_lock', 'thread_unlock', 'thread_pin', 'thread_unpin', 'review_approve', 'review_reject', 'appeal', 'appeal_overturn', 'appeal_uphold', 'auto_hide', 'suspend', 'suspension_lift', 'setting_change', 'export', 'two_factor_reset')),
	CONSTRAINT "moderation_log_target_type_check" CHECK(target_type in ('thread', 'comment', 'proposal', 'user', 'project', 'setting', 'city'))
);
--> statement-breakpoint
INSERT INTO `__new_moderation_log`("id", "actor_id", "action", "target_type", "target_id", "reason", "details", "created_at") SELECT "id", "actor_id", "action", "target_type", "target_id", "reason", "details", "created_at" FROM `moderation_log`;--> statement-breakpoint
-- Keep AUTOINCREMENT's promise across the rebuild: ids are never handed out again.
DELETE FROM sqlite_sequence WHERE name = '__new_moderation_log';--> statement-breakpoint
INSERT INTO sqlite_sequence(name, seq) SELECT '__new_moderation_log', seq FROM sqlite_sequence WHERE name = 'moderation_log';--> statement-breakpoint
DROP TABLE `moderation_log`;--> statement-breakpoint
ALTER TABLE `__new_moderation_log` RENAME TO `moderation_log`;--> statement-breakpoint
CREATE INDEX `moderation_log_created_idx` ON `moderation_log` (`created_at`);--> statement-breakpoint
CREATE INDEX `moderation_log_actor_idx` ON `moderation_log` (`actor_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `moderation_log_action_idx` ON `moderation_log` (`action`,`created_at`);--> statement-breakpoint
CREATE INDEX `moderation_log_target_idx` ON `moderation_log` (`target_type`,`target_id`);
--> statement-breakpoint
-- The append-only triggers of 0001_moderation_log_append_only, as they were.
CREATE TRIGGER moderation_log_no_update BEFORE UPDATE ON moderation_log
BEGIN
  SELECT RAISE(ABORT, 'moderation_log is append-only');
END;
--> statement-breakpoint
CREATE TRIGGER moderation_log_no_delete BEFORE DELETE ON moderation_log
BEGIN
  SELECT RAISE(ABORT, 'moderation_log is append-only');
END;
