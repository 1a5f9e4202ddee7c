import { register } from 'node:module';

// `lib/config` and `lib/logto` start with `import 'server-only'`, whose default export throws
// outside React Server Components. These scripts are server code run by tsx, so `server-only` is
// resolved under the `react-server` condition (its empty module) for this process only. Runs in
// Node's loader thread, hence plain JavaScript in a data: URL.
const RESOLVE_SERVER_ONLY_AS_REACT_SERVER = `
export async function resolve(specifier, context, nextResolve) {
  if (specifier !== 'server-only') return nextResolve(specifier, context);
  return nextResolve(specifier, { ...context, conditions: [...context.conditions, 'react-server'] });
}`;

let isHookRegistered = false;

function allowServerOnlyImports(): void {
  if (isHookRegistered) return;
  isHookRegistered = true;
  register(
    `data:text/javascript,${encodeURIComponent(RESOLVE_SERVER_ONLY_AS_REACT_SERVER)}`,
    import.meta.url,
  );
}

/**
 * The portal's server modules these scripts use, imported after `server-only` has been made
 * importable. Static imports cannot be used for them: ESM resolves a module's whole import graph
 * before running any of it, so the hook would come too late.
 */
export async function loadServerModules() {
  allowServerOnlyImports();
  const [config, client, token] = await Promise.all([
    import('../../lib/config'),
    import('../../lib/logto/client'),
    import('../../lib/logto/token'),
  ]);
  return {
    readConfig: config.readConfig,
    ConfigError: config.ConfigError,
    createManagementClient: client.createManagementClient,
    TokenCache: token.TokenCache,
  };
}
