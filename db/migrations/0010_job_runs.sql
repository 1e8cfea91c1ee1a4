CREATE TABLE `job_runs` (
	`name` text PRIMARY KEY NOT NULL,
	`next_run_at` integer NOT NULL,
	`claimed_at` integer
);
