-- The activity log is append-only for the portal: entries are never edited. (The retention sweep
-- deletes old entries; nothing updates one.)
CREATE OR REPLACE FUNCTION portal_activity_log_refuse_update()
RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
	RAISE EXCEPTION 'activity_log is append-only: entries cannot be changed'
		USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER activity_log_append_only
	BEFORE UPDATE ON activity_log
	FOR EACH STATEMENT
	EXECUTE FUNCTION portal_activity_log_refuse_update();
