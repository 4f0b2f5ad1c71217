// The suite checks English texts. Code outside a request (rules, command-line tools) speaks APP_LANGUAGE,
// and every fetch of a test asks for English unless it sets Accept-Language itself. Tests of Vietnamese
// ask for it explicitly; the test of the default (no header at all) uses node:http.
process.env.APP_LANGUAGE ??= "en";

const originalFetch = globalThis.fetch;
globalThis.fetch = (input: Parameters<typeof fetch>[0], init: RequestInit = {}) => {
  const headers = new Headers(init.headers);
  if (!headers.has("accept-language")) headers.set("accept-language", "en");
  return originalFetch(input, { ...init, headers });
};
