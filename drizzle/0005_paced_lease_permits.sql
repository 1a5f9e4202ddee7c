-- Paces the shared request budget across instances with one token bucket (table budget_pace):
-- besides "never more than p_budget within any p_span_ms", a grant needs tokens from a bucket of
-- p_pace_count that refills completely in p_pace_ms. Without it, every instance's own pacing adds
-- up, and three instances let a window's budget out in its first seconds and then hold everyone for
-- the rest of it. The pace is optional (NULL), so an instance of the previous release, calling with
-- four arguments during a rolling upgrade, is served as before.
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
	v_is_paced boolean := coalesce(p_pace_count > 0 AND p_pace_ms > 0, false);
	v_used integer;
	v_tokens double precision;
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
	v_granted := least(greatest(p_wanted, 0), greatest(p_budget - v_used, 0));

	IF v_is_paced THEN
		-- The bucket as it is now: what it held, refilled since, never more than full (full at first).
		SELECT least(
			p_pace_count::double precision,
			p.tokens + extract(epoch FROM (v_now - p.updated_at)) * 1000 * p_pace_count / p_pace_ms
		) INTO v_tokens
		FROM budget_pace AS p WHERE p.id = 1;
		v_tokens := coalesce(v_tokens, p_pace_count::double precision);
		v_granted := least(v_granted, floor(v_tokens)::integer);
	END IF;

	IF v_granted > 0 THEN
		INSERT INTO budget_leases (instance_id, permits, granted_at)
		VALUES (p_instance_id, v_granted, v_now);
		IF v_is_paced THEN
			INSERT INTO budget_pace (id, tokens, updated_at) VALUES (1, v_tokens - v_granted, v_now)
			ON CONFLICT (id) DO UPDATE SET tokens = excluded.tokens, updated_at = excluded.updated_at;
		END IF;
		RETURN QUERY SELECT v_granted, 0, v_now;
		RETURN;
	END IF;

	IF p_wanted <= 0 THEN
		RETURN QUERY SELECT 0, 0, v_now;
		RETURN;
	END IF;

	-- Nothing free: one permit is, once enough of the oldest grants have left the span and the
	-- bucket holds a whole token.
	IF v_used >= p_budget THEN
		v_wait_ms := portal_lease_wait_ms(v_now, v_span, v_used - p_budget + 1);
	END IF;
	IF v_is_paced AND v_tokens < 1 THEN
		v_wait_ms := greatest(v_wait_ms, ceil((1 - v_tokens) * p_pace_ms / p_pace_count)::integer);
	END IF;
	RETURN QUERY SELECT 0, greatest(1, v_wait_ms), v_now;
END;
$$;
