-- Grants up to p_wanted permits of the shared request budget so that the permits granted to all
-- instances within any span of p_span_ms never exceed p_budget. One call is one round trip: the
-- function takes the budget's advisory lock (released at commit), and, being VOLATILE, each of its
-- statements sees what the previous lock holder committed.
-- The lock is the two-key form (portal namespace 1347375700 = 'PORT', key 2), which never collides
-- with the one-key organization locks.
CREATE OR REPLACE FUNCTION portal_lease_permits(
	p_instance_id text,
	p_wanted integer,
	p_budget integer,
	p_span_ms integer
)
RETURNS TABLE (granted integer, retry_after_ms integer, granted_at timestamptz)
LANGUAGE plpgsql
VOLATILE
AS $$
#variable_conflict use_column
DECLARE
	v_now timestamptz;
	v_span interval := make_interval(secs => p_span_ms / 1000.0);
	v_used integer;
	v_granted integer;
	v_frees_at timestamptz;
BEGIN
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

	-- Nothing free: when will one permit be? Once enough of the oldest grants leave the span.
	SELECT w.granted_at INTO v_frees_at
	FROM (
		SELECT l.granted_at, sum(l.permits) OVER (ORDER BY l.granted_at, l.id) AS freed
		FROM budget_leases AS l
		WHERE l.granted_at > v_now - v_span
	) AS w
	WHERE w.freed >= v_used - p_budget + 1
	ORDER BY w.granted_at
	LIMIT 1;

	RETURN QUERY SELECT
		0,
		CASE
			WHEN v_frees_at IS NULL THEN p_span_ms
			ELSE greatest(1, ceil(extract(epoch FROM (v_frees_at + v_span - v_now)) * 1000)::integer)
		END,
		v_now;
END;
$$;
