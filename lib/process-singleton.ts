/**
 * One value per server process, shared by every bundle. Next bundles pages, route handlers and
 * server actions separately, so a module-level variable can exist several times in one process
 * (two M2M tokens, two request budgets, two caches); `globalThis` is the one place they share.
 */
export function processSingleton<T>(name: string, create: () => T): T {
  const store = globalThis as unknown as Record<symbol, unknown>;
  const key = Symbol.for(`org-admin-portal:${name}`);
  if (!(key in store)) store[key] = create();
  return store[key] as T;
}
