CREATE TABLE `report_theme_runs` (
	`project_id` integer PRIMARY KEY NOT NULL,
	`status` text NOT NULL,
	`processed` integer DEFAULT 0 NOT NULL,
	`total` integer DEFAULT 0 NOT NULL,
	`started_at` integer NOT NULL,
	`computed_at` integer,
	`comment_count` integer DEFAULT 0 NOT NULL,
	`last_comment_id` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "report_theme_runs_status_check" CHECK(status in ('computing', 'done', 'failed')),
	CONSTRAINT "report_theme_runs_progress_check" CHECK(processed >= 0 and total >= 0)
);
--> statement-breakpoint
CREATE TABLE `report_themes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`project_id` integer NOT NULL,
	`rank` integer NOT NULL,
	`label` text NOT NULL,
	`terms` text NOT NULL,
	`weight` real NOT NULL,
	`comment_count` integer NOT NULL,
	`stance_support` integer DEFAULT 0 NOT NULL,
	`stance_oppose` integer DEFAULT 0 NOT NULL,
	`stance_neutral` integer DEFAULT 0 NOT NULL,
	`stance_none` integer DEFAULT 0 NOT NULL,
	`quotes` text NOT NULL,
	`corpus_size` integer NOT NULL,
	`computed_at` integer NOT NULL,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "report_themes_counts_check" CHECK(comment_count >= 0 and corpus_size >= 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `report_themes_project_rank_unique` ON `report_themes` (`project_id`,`rank`);