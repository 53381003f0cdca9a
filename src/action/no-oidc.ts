/**
 * Stands in for @actions/core's OIDC client in the action's bundle (scripts/build.mjs): the action asks for no
 * token and makes no network request, so the HTTP client that client needs (about 800 kB bundled) is left out.
 */
export class OidcClient {
  static getIDToken(): Promise<string> {
    return Promise.reject(new Error('the AI Provenance action requests no OIDC token and makes no network request'));
  }
}
