/** Forge REST APIs (GitHub, GitLab): where a person's token may be sent. */

/**
 * The API's URL when a token may be sent there: https, or http to this machine only (a local stand-in); else throws
 * with what to set. The settings that hold it are user settings only (a repository cannot redirect a token).
 */
export function safeApiUrl(value: string, setting: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`${setting} is not a URL ("${value.slice(0, 100)}"): set it to the API's https:// address`);
  }
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback))
    throw new Error(
      `${setting} must be an https:// address (got ${url.protocol}//${url.host}): a token is never sent in clear`,
    );
  return url;
}
