// What the scenarios are given by BrowserScenariosIT, from the environment.

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set (the scenarios are run by dev.lacquer.e2e.BrowserScenariosIT)`);
  return value;
}

/** The issuer's token endpoint, as the Java tests find it (local-stack's infra.env, else the stack's default). */
function tokenUrl() {
  if (process.env.OIDC_TOKEN_URL) return process.env.OIDC_TOKEN_URL;
  const issuer = process.env.OIDC_AUTH_SERVER_URL || 'http://127.0.0.1:19180/realms/lacquer';
  return `${issuer}/protocol/openid-connect/token`;
}

export const env = {
  apiUrl: required('API_URL').replace(/\/+$/, ''),
  tokenUrl: tokenUrl(),
  devPassword: process.env.LACQUER_DEV_PASSWORD || 'lacquer-dev',
  chromium: process.env.CHROMIUM || '/usr/bin/chromium',
  photo: required('PHOTO'),
  screenshotDir: required('SCREENSHOT_DIR'),
  startingCredits: Number(required('STARTING_CREDITS')),
  blockedWord: required('BLOCKED_WORD'),
};

/** A user name of its own for each scenario run: the database outlives test runs. */
export function uniqueUser(prefix) {
  return `${prefix}-${Math.random().toString(16).slice(2, 10)}`;
}
