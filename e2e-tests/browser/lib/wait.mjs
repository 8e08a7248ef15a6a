// Waiting on visible state instead of sleeping: poll a check until it holds or the time is up.

export const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

function describe(value) {
  if (value instanceof Error) return value.message.split('\n')[0];
  if (typeof value === 'string') return JSON.stringify(value);
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

/**
 * Calls check() until it answers something truthy (returned) or the timeout passes (thrown, with the message and
 * the last answer). An exception thrown by check counts as "not yet".
 */
export async function waitUntil(check, { timeout = 30_000, interval = 100, message = 'condition' } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      last = await check();
      if (last) return last;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeout / 1000} s waiting for ${message}; last seen: ${describe(last)}`);
    }
    await sleep(interval);
  }
}

/** Waits until the element's text is the expected text (string: trimmed equality; RegExp: a match); returns it. */
export async function expectText(locator, expected, { timeout = 30_000, message } = {}) {
  let text;
  await waitUntil(async () => {
    text = ((await locator.textContent({ timeout: 1000 })) || '').trim();
    return expected instanceof RegExp ? expected.test(text) : text === expected;
  }, { timeout, message: message || `text ${expected} in ${locator}` });
  return text;
}

/** Waits until the locator matches exactly this many elements. */
export async function expectCount(locator, count, { timeout = 30_000, message } = {}) {
  await waitUntil(async () => (await locator.count()) === count, { timeout, message: message || `${count} × ${locator}` });
}

export function check(condition, message) {
  if (!condition) throw new Error(message);
}

export function equal(actual, expected, message) {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new Error(`${message}: expected ${e}, got ${a}`);
}
