-- Paces the shared request budget across instances: besides "never more than p_budget within any
-- p_span_ms", at most p_pace_count permits within any p_pace_ms. Without it, every instance's own
-- pacing adds up, and three instances let a window's budget out in its first seconds and then hold
-- everyone for the rest of it. The pace is optional (NULL), so an instance of the previous release,
-- calling with four arguments during a rolling upgrade, is served as before.
-- How long until p_needed permits granted within the last p_span have left it (p_span when the
-- rows do not say, which only a concurrent deletion could cause).
CREATE OR REPLACE FUNCTION portal_lease_wait_ms(p_now timestamptz, p_span interval, p_needed integer)
RETURNS integer
LANGUAGE sql
STABLE
AS $$
	SELECT coalesce(
		(
			SELECT greatest(1, ceil(extract(epoch FROM (w.granted_at + p_span - p_now)) * 1000)::integer)
			FROM (
				SELECT l.granted_at, sum(l.permits) OVER (ORDER BY l.granted_at, l.id) AS freed
				FROM budget_leases AS l
				WHERE l.granted_at > p_now - p_span
			) AS w
			WHERE w.freed >= p_needed
			ORDER BY w.granted_at
			LIMIT 1
		),
		ceil(extract(epoch FROM p_span) * 1000)::integer
	);
$$;
--> statement-breakpoint
DROP FUNCTION IF EXISTS portal_lease_permits(text, integer, integer, integer);
--> statement-breakpoint
CREATE OR REPLACE FUNCTION portal_lease_permits(
	p_instance_id text,
	p_wanted integer,
	p_budget integer,
	p_span_ms integer,
	p_pace_count integer DEFAULT NULL,
	p_pace_ms integer DEFAULT NULL
)
RETURNS TABLE (granted integer, retry_after_ms integer, granted_at timestamptz)
LANGUAGE plpgsql
VOLATILE
AS $$
#variable_conflict use_column
DECLARE
	v_now timestamptz;
	v_span interval := make_interval(secs => p_span_ms / 1000.0);
	v_is_paced boolean := p_pace_count IS NOT NULL AND p_pace_ms IS NOT NULL AND p_pace_ms > 0;
	v_pace interval := make_interval(secs => coalesce(p_pace_ms, 0) / 1000.0);
	v_used integer;
	v_paced_used integer := 0;
	v_granted integer;
	v_wait_ms integer := 0;
BEGIN
	-- The lock is the two-key form (portal namespace 1347375700 = 'PORT', key 2), which never
	-- collides with the one-key organization locks; released at commit.
	PERFORM pg_advisory_xact_lock(1347375700, 2);
	-- The clock after the lock, so grants are stamped in the order they were decided.
	v_now := clock_timestamp();

	-- Rows that can no longer count. Instances configured with a longer span during a rolling
	-- change keep theirs: nothing younger than a minute is ever deleted.
	DELETE FROM budget_leases AS l WHERE l.granted_at <= v_now - greatest(v_span, interval '1 minute');

	SELECT coalesce(sum(l.permits), 0)::integer INTO v_used
	FROM budget_leases AS l
	WHERE l.granted_at > v_now - v_span;
	IF v_is_paced THEN
		SELECT coalesce(sum(l.permits), 0)::integer INTO v_paced_used
		FROM budget_leases AS l
		WHERE l.granted_at > v_now - v_pace;
	END IF;

	v_granted := least(greatest(p_wanted, 0), greatest(p_budget - v_used, 0));
	IF v_is_paced THEN
		v_granted := least(v_granted, greatest(p_pace_count - v_paced_used, 0));
	END IF;
	IF v_granted > 0 THEN
		INSERT INTO budget_leases (instance_id, permits, granted_at)
		VALUES (p_instance_id, v_granted, v_now);
		RETURN QUERY SELECT v_granted, 0, v_now;
		RETURN;
	END IF;

	IF p_wanted <= 0 THEN
		RETURN QUERY SELECT 0, 0, v_now;
		RETURN;
	END IF;

	-- Nothing free: one permit is, once enough of the oldest grants have left the span (and the pace).
	IF v_used >= p_budget THEN
		v_wait_ms := portal_lease_wait_ms(v_now, v_span, v_used - p_budget + 1);
	END IF;
	IF v_is_paced AND v_paced_used >= p_pace_count THEN
		v_wait_ms := greatest(v_wait_ms, portal_lease_wait_ms(v_now, v_pace, v_paced_used - p_pace_count + 1));
	END IF;
	RETURN QUERY SELECT 0, greatest(1, v_wait_ms), v_now;
END;
$$;
