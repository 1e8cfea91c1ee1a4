CREATE TABLE `areas` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`code` text NOT NULL,
	`name` text NOT NULL,
	`level` text NOT NULL,
	`parent_id` integer,
	`population` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`parent_id`) REFERENCES `areas`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "areas_level_check" CHECK(level in ('city', 'kecamatan', 'kelurahan')),
	CONSTRAINT "areas_population_check" CHECK(population >= 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `areas_code_unique` ON `areas` (`code`);--> statement-breakpoint
CREATE INDEX `areas_parent_idx` ON `areas` (`parent_id`,`name`);--> statement-breakpoint
CREATE INDEX `areas_level_idx` ON `areas` (`level`,`name`);--> statement-breakpoint
CREATE TABLE `sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`secret_hash` text NOT NULL,
	`user_id` integer NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL,
	`last_verified_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `sessions_user_idx` ON `sessions` (`user_id`);--> statement-breakpoint
CREATE INDEX `sessions_expires_idx` ON `sessions` (`expires_at`);--> statement-breakpoint
CREATE TABLE `users` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`email` text,
	`display_name` text NOT NULL,
	`password_hash` text,
	`role` text DEFAULT 'resident' NOT NULL,
	`area_id` integer,
	`locale` text DEFAULT 'id' NOT NULL,
	`email_verified_at` integer,
	`suspended_until` integer,
	`suspension_reason` text,
	`contribution_count` integer DEFAULT 0 NOT NULL,
	`deleted_at` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`area_id`) REFERENCES `areas`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "users_role_check" CHECK(role in ('resident', 'moderator', 'planner', 'admin')),
	CONSTRAINT "users_locale_check" CHECK(locale in ('id', 'en')),
	CONSTRAINT "users_email_lower_check" CHECK(email is null or email = lower(email))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_email_unique` ON `users` (`email`);--> statement-breakpoint
CREATE INDEX `users_role_created_idx` ON `users` (`role`,`created_at`);--> statement-breakpoint
CREATE INDEX `users_created_idx` ON `users` (`created_at`);--> statement-breakpoint
CREATE INDEX `users_area_idx` ON `users` (`area_id`);--> statement-breakpoint
CREATE TABLE `follows` (
	`user_id` integer NOT NULL,
	`project_id` integer NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL,
	PRIMARY KEY(`user_id`, `project_id`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `follows_project_idx` ON `follows` (`project_id`,`active`);--> statement-breakpoint
CREATE TABLE `project_updates` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`project_id` integer NOT NULL,
	`author_id` integer,
	`kind` text DEFAULT 'update' NOT NULL,
	`from_phase` text,
	`to_phase` text,
	`body_source` text NOT NULL,
	`body_html` text NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`author_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "project_updates_kind_check" CHECK(kind in ('update', 'phase_change'))
);
--> statement-breakpoint
CREATE INDEX `project_updates_project_idx` ON `project_updates` (`project_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `project_updates_author_idx` ON `project_updates` (`author_id`);--> statement-breakpoint
CREATE TABLE `projects` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`slug` text NOT NULL,
	`title` text NOT NULL,
	`summary` text NOT NULL,
	`body_source` text NOT NULL,
	`body_html` text NOT NULL,
	`category` text NOT NULL,
	`area_id` integer NOT NULL,
	`lat` real,
	`lng` real,
	`budget_rupiah` integer DEFAULT 0 NOT NULL,
	`phase` text DEFAULT 'draft' NOT NULL,
	`outcome` text,
	`outcome_reason` text,
	`consultation_opens_at` integer,
	`consultation_closes_at` integer,
	`created_by` integer,
	`votes_support` integer DEFAULT 0 NOT NULL,
	`votes_oppose` integer DEFAULT 0 NOT NULL,
	`votes_abstain` integer DEFAULT 0 NOT NULL,
	`thread_count` integer DEFAULT 0 NOT NULL,
	`comment_count` integer DEFAULT 0 NOT NULL,
	`proposal_count` integer DEFAULT 0 NOT NULL,
	`follower_count` integer DEFAULT 0 NOT NULL,
	`last_activity_at` integer,
	`published_at` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL,
	`updated_at` integer,
	FOREIGN KEY (`area_id`) REFERENCES `areas`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "projects_phase_check" CHECK(phase in ('draft', 'consultation', 'review', 'decided', 'in_progress', 'completed', 'cancelled')),
	CONSTRAINT "projects_category_check" CHECK(category in ('roads', 'drainage', 'parks', 'transport', 'public_facilities', 'housing', 'other')),
	CONSTRAINT "projects_outcome_check" CHECK(outcome is null or outcome in ('approved', 'rejected', 'deferred')),
	CONSTRAINT "projects_decided_outcome_check" CHECK(phase <> 'decided' or outcome is not null),
	CONSTRAINT "projects_budget_check" CHECK(budget_rupiah >= 0),
	CONSTRAINT "projects_window_check" CHECK(consultation_opens_at is null or consultation_closes_at is null or consultation_opens_at < consultation_closes_at),
	CONSTRAINT "projects_lat_check" CHECK(lat is null or (lat between -90 and 90)),
	CONSTRAINT "projects_lng_check" CHECK(lng is null or (lng between -180 and 180))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `projects_slug_unique` ON `projects` (`slug`);--> statement-breakpoint
CREATE INDEX `projects_phase_closes_idx` ON `projects` (`phase`,`consultation_closes_at`);--> statement-breakpoint
CREATE INDEX `projects_phase_activity_idx` ON `projects` (`phase`,`last_activity_at`);--> statement-breakpoint
CREATE INDEX `projects_phase_created_idx` ON `projects` (`phase`,`created_at`);--> statement-breakpoint
CREATE INDEX `projects_area_idx` ON `projects` (`area_id`);--> statement-breakpoint
CREATE INDEX `projects_category_idx` ON `projects` (`category`,`phase`);--> statement-breakpoint
CREATE INDEX `projects_created_by_idx` ON `projects` (`created_by`);--> statement-breakpoint
CREATE TABLE `comment_revisions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`comment_id` integer NOT NULL,
	`editor_id` integer NOT NULL,
	`body_source` text NOT NULL,
	`body_html` text NOT NULL,
	`visibility` text DEFAULT 'published' NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`comment_id`) REFERENCES `comments`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`editor_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "comment_revisions_visibility_check" CHECK(visibility in ('pending', 'published', 'hidden', 'rejected', 'deleted'))
);
--> statement-breakpoint
CREATE INDEX `comment_revisions_comment_idx` ON `comment_revisions` (`comment_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `comment_revisions_editor_idx` ON `comment_revisions` (`editor_id`);--> statement-breakpoint
CREATE TABLE `comments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`thread_id` integer NOT NULL,
	`project_id` integer NOT NULL,
	`author_id` integer NOT NULL,
	`parent_id` integer,
	`depth` integer DEFAULT 0 NOT NULL,
	`sort_key` text NOT NULL,
	`stance` text,
	`body_source` text NOT NULL,
	`body_html` text NOT NULL,
	`visibility` text DEFAULT 'published' NOT NULL,
	`reply_count` integer DEFAULT 0 NOT NULL,
	`edited_at` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`thread_id`) REFERENCES `threads`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`author_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`parent_id`) REFERENCES `comments`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "comments_visibility_check" CHECK(visibility in ('pending', 'published', 'hidden', 'rejected', 'deleted')),
	CONSTRAINT "comments_stance_check" CHECK(stance is null or stance in ('support', 'oppose', 'neutral')),
	CONSTRAINT "comments_depth_check" CHECK(depth between 0 and 2)
);
--> statement-breakpoint
CREATE INDEX `comments_thread_sort_idx` ON `comments` (`thread_id`,`sort_key`);--> statement-breakpoint
CREATE INDEX `comments_project_idx` ON `comments` (`project_id`,`visibility`,`created_at`);--> statement-breakpoint
CREATE INDEX `comments_author_idx` ON `comments` (`author_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `comments_parent_idx` ON `comments` (`parent_id`);--> statement-breakpoint
CREATE TABLE `threads` (
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
	CONSTRAINT "threads_visibility_check" CHECK(visibility in ('pending', 'published', 'hidden', 'rejected', 'deleted'))
);
--> statement-breakpoint
CREATE INDEX `threads_project_list_idx` ON `threads` (`project_id`,`visibility`,`pinned`,`last_activity_at`);--> statement-breakpoint
CREATE INDEX `threads_author_idx` ON `threads` (`author_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `threads_proposal_idx` ON `threads` (`proposal_id`);--> statement-breakpoint
CREATE TABLE `proposal_revisions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`proposal_id` integer NOT NULL,
	`editor_id` integer NOT NULL,
	`title` text NOT NULL,
	`body_source` text NOT NULL,
	`body_html` text NOT NULL,
	`visibility` text DEFAULT 'published' NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`proposal_id`) REFERENCES `proposals`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`editor_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "proposal_revisions_visibility_check" CHECK(visibility in ('pending', 'published', 'hidden', 'rejected', 'deleted'))
);
--> statement-breakpoint
CREATE INDEX `proposal_revisions_proposal_idx` ON `proposal_revisions` (`proposal_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `proposal_revisions_editor_idx` ON `proposal_revisions` (`editor_id`);--> statement-breakpoint
CREATE TABLE `proposals` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`project_id` integer NOT NULL,
	`author_id` integer NOT NULL,
	`title` text NOT NULL,
	`body_source` text NOT NULL,
	`body_html` text NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`visibility` text DEFAULT 'published' NOT NULL,
	`answer_source` text,
	`answer_html` text,
	`answered_by` integer,
	`answered_at` integer,
	`support_count` integer DEFAULT 0 NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`author_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`answered_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "proposals_status_check" CHECK(status in ('open', 'under_evaluation', 'accepted', 'rejected', 'withdrawn')),
	CONSTRAINT "proposals_visibility_check" CHECK(visibility in ('pending', 'published', 'hidden', 'rejected', 'deleted'))
);
--> statement-breakpoint
CREATE INDEX `proposals_project_list_idx` ON `proposals` (`project_id`,`visibility`,`support_count`);--> statement-breakpoint
CREATE INDEX `proposals_author_idx` ON `proposals` (`author_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `proposals_answered_by_idx` ON `proposals` (`answered_by`);--> statement-breakpoint
CREATE TABLE `supports` (
	`proposal_id` integer NOT NULL,
	`user_id` integer NOT NULL,
	`project_id` integer NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL,
	PRIMARY KEY(`proposal_id`, `user_id`),
	FOREIGN KEY (`proposal_id`) REFERENCES `proposals`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `supports_user_project_idx` ON `supports` (`user_id`,`project_id`);--> statement-breakpoint
CREATE INDEX `supports_project_idx` ON `supports` (`project_id`);--> statement-breakpoint
CREATE TABLE `votes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`project_id` integer NOT NULL,
	`user_id` integer,
	`choice` text NOT NULL,
	`area_id` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL,
	`updated_at` integer,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "votes_choice_check" CHECK(choice in ('support', 'oppose', 'abstain'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `votes_project_user_unique` ON `votes` (`project_id`,`user_id`);--> statement-breakpoint
CREATE INDEX `votes_user_idx` ON `votes` (`user_id`);--> statement-breakpoint
CREATE INDEX `votes_project_area_idx` ON `votes` (`project_id`,`area_id`,`choice`);--> statement-breakpoint
CREATE TABLE `flags` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`target_type` text NOT NULL,
	`target_id` integer NOT NULL,
	`project_id` integer,
	`user_id` integer NOT NULL,
	`reason` text NOT NULL,
	`note` text,
	`weight` integer DEFAULT 1 NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "flags_target_type_check" CHECK(target_type in ('thread', 'comment', 'proposal')),
	CONSTRAINT "flags_reason_check" CHECK(reason in ('spam', 'harassment', 'sara', 'misinformation', 'personal_data', 'off_topic', 'other')),
	CONSTRAINT "flags_status_check" CHECK(status in ('open', 'upheld', 'dismissed')),
	CONSTRAINT "flags_note_length_check" CHECK(note is null or length(note) <= 500)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `flags_target_user_unique` ON `flags` (`target_type`,`target_id`,`user_id`);--> statement-breakpoint
CREATE INDEX `flags_user_idx` ON `flags` (`user_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `flags_project_idx` ON `flags` (`project_id`);--> statement-breakpoint
CREATE TABLE `moderation_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`actor_id` integer,
	`action` text NOT NULL,
	`target_type` text NOT NULL,
	`target_id` text,
	`reason` text,
	`details` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`actor_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `moderation_log_created_idx` ON `moderation_log` (`created_at`);--> statement-breakpoint
CREATE INDEX `moderation_log_actor_idx` ON `moderation_log` (`actor_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `moderation_log_action_idx` ON `moderation_log` (`action`,`created_at`);--> statement-breakpoint
CREATE INDEX `moderation_log_target_idx` ON `moderation_log` (`target_type`,`target_id`);--> statement-breakpoint
CREATE TABLE `review_items` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`target_type` text NOT NULL,
	`target_id` integer NOT NULL,
	`project_id` integer,
	`author_id` integer,
	`reasons` text DEFAULT '[]' NOT NULL,
	`score` integer DEFAULT 0 NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`version` integer DEFAULT 0 NOT NULL,
	`decided_by` integer,
	`decided_at` integer,
	`decision_reason` text,
	`appeal_text` text,
	`appealed_at` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`author_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`decided_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "review_items_target_type_check" CHECK(target_type in ('thread', 'comment', 'proposal')),
	CONSTRAINT "review_items_status_check" CHECK(status in ('open', 'approved', 'rejected'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `review_items_open_target_unique` ON `review_items` (`target_type`,`target_id`) WHERE status = 'open';--> statement-breakpoint
CREATE INDEX `review_items_queue_idx` ON `review_items` (`status`,`score`,`created_at`);--> statement-breakpoint
CREATE INDEX `review_items_target_idx` ON `review_items` (`target_type`,`target_id`);--> statement-breakpoint
CREATE INDEX `review_items_project_idx` ON `review_items` (`project_id`);--> statement-breakpoint
CREATE INDEX `review_items_author_idx` ON `review_items` (`author_id`);--> statement-breakpoint
CREATE INDEX `review_items_decided_by_idx` ON `review_items` (`decided_by`);--> statement-breakpoint
CREATE TABLE `notifications` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` integer NOT NULL,
	`kind` text NOT NULL,
	`project_id` integer,
	`link` text NOT NULL,
	`params` text NOT NULL,
	`read_at` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "notifications_kind_check" CHECK(kind in ('reply', 'proposal_answer', 'content_approved', 'content_rejected', 'content_hidden', 'appeal_decided', 'suspended', 'phase_change', 'project_update'))
);
--> statement-breakpoint
CREATE INDEX `notifications_user_idx` ON `notifications` (`user_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `notifications_user_unread_idx` ON `notifications` (`user_id`,`read_at`);--> statement-breakpoint
CREATE INDEX `notifications_project_idx` ON `notifications` (`project_id`);--> statement-breakpoint
CREATE TABLE `rate_limits` (
	`key` text PRIMARY KEY NOT NULL,
	`window_start` integer NOT NULL,
	`count` integer DEFAULT 0 NOT NULL,
	`failures` integer DEFAULT 0 NOT NULL,
	`blocked_until` integer
);
--> statement-breakpoint
CREATE TABLE `settings` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL,
	`updated_by` integer,
	`updated_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`updated_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
