-- The moderation log is append-only: nothing in the app may change or remove a row.
CREATE TRIGGER moderation_log_no_update BEFORE UPDATE ON moderation_log
BEGIN
  SELECT RAISE(ABORT, 'moderation_log is append-only');
END;
--> statement-breakpoint
CREATE TRIGGER moderation_log_no_delete BEFORE DELETE ON moderation_log
BEGIN
  SELECT RAISE(ABORT, 'moderation_log is append-only');
END;
