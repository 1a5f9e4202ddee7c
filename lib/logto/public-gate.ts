import { processSingleton } from '@/lib/process-singleton';
import type { RequestLimiter } from './limiter';

/**
 * What `proxy.ts` needs to turn public traffic away before a page renders: the shared limiter's
 * public lane and a per-visitor count. Kept free of `server-only` and of the client itself, since
 * the proxy is bundled apart from pages (the process-wide registry joins them).
 */
type PublicGate = {
  limiter: RequestLimiter | undefined;
  visits: Map<string, { windowStart: number; count: number }>;
};

const gate = processSingleton('logto-public-gate', (): PublicGate => ({
  limiter: undefined,
  visits: new Map(),
}));

/**
 * Public page views one visitor may make per minute (each costs a few Management API calls);
 * `PORTAL_PUBLIC_VISITS_PER_MINUTE` overrides it.
 */
export function publicVisitsPerMinute(): number {
  const configured = Number(process.env.PORTAL_PUBLIC_VISITS_PER_MINUTE);
  return Number.isInteger(configured) && configured > 0 ? configured : 30;
}
const VISIT_WINDOW_MS = 60_000;
const MAX_TRACKED_VISITORS = 50_000;

/** Registers the process-wide client's limiter (done by the client when it is built). */
export function registerPublicLimiter(limiter: RequestLimiter): void {
  gate.limiter = limiter;
}

/**
 * Whether a public page view may go ahead: `{ ok: false, status, retryAfterSeconds }` when this
 * visitor made too many views this minute (429) or the budget's public lane is full (503).
 */
export function admitPublicVisit(
  visitorKey: string,
  now: number = Date.now(),
): { ok: true } | { ok: false; status: 429 | 503; retryAfterSeconds: number } {
  if (gate.limiter?.isSaturated('public')) return { ok: false, status: 503, retryAfterSeconds: 5 };

  let entry = gate.visits.get(visitorKey);
  if (!entry || now - entry.windowStart >= VISIT_WINDOW_MS) {
    entry = { windowStart: now, count: 0 };
    gate.visits.delete(visitorKey);
    gate.visits.set(visitorKey, entry);
    if (gate.visits.size > MAX_TRACKED_VISITORS) {
      const oldest = gate.visits.keys().next().value;
      if (oldest !== undefined) gate.visits.delete(oldest);
    }
  }
  entry.count += 1;
  if (entry.count > publicVisitsPerMinute()) {
    return {
      ok: false,
      status: 429,
      retryAfterSeconds: Math.max(1, Math.ceil((entry.windowStart + VISIT_WINDOW_MS - now) / 1000)),
    };
  }
  return { ok: true };
}

/**
 * The visitor's address as the portal can know it: the first `X-Forwarded-For` hop (the load
 * balancer's view; a visitor can forge it, but forged addresses still share the public lane's
 * small global share), else `X-Real-IP`, else one shared key.
 */
export function visitorKeyOf(headers: Headers): string {
  const forwarded = headers.get('x-forwarded-for')?.split(',')[0]?.trim();
  return forwarded || headers.get('x-real-ip')?.trim() || 'unknown';
}
