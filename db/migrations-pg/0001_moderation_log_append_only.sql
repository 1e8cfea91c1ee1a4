-- The moderation log is append-only, as on SQLite (db/migrations/0001_moderation_log_append_only.sql):
-- nothing may change or remove a row. TRUNCATE, which fires no row trigger, is refused too.
CREATE FUNCTION moderation_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'moderation_log is append-only';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER moderation_log_no_update BEFORE UPDATE ON moderation_log
  FOR EACH ROW EXECUTE FUNCTION moderation_log_append_only();
--> statement-breakpoint
CREATE TRIGGER moderation_log_no_delete BEFORE DELETE ON moderation_log
  FOR EACH ROW EXECUTE FUNCTION moderation_log_append_only();
--> statement-breakpoint
CREATE TRIGGER moderation_log_no_truncate BEFORE TRUNCATE ON moderation_log
  FOR EACH STATEMENT EXECUTE FUNCTION moderation_log_append_only();
