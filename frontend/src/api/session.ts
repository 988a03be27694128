/**
 * The browser side of the session: the CSRF token that unsafe requests must
 * carry, and a signal raised when the server says the session is gone.
 *
 * The session itself is the HttpOnly `docket_session` cookie, which scripts
 * never see. The CSRF token comes with the login answer and with every
 * `GET /me`; whoever receives one calls `setCsrfToken`.
 */

let csrfToken: string | null = null;

export function setCsrfToken(token: string | null | undefined): void {
  csrfToken = token ? token : null;
}

export function getCsrfToken(): string | null {
  return csrfToken;
}

type Listener = () => void;
const expiredListeners = new Set<Listener>();

/** Calls `listener` whenever an API answer says the caller is not logged in. Returns the unsubscribe. */
export function onSessionExpired(listener: Listener): () => void {
  expiredListeners.add(listener);
  return () => {
    expiredListeners.delete(listener);
  };
}

export function reportSessionExpired(): void {
  for (const listener of [...expiredListeners]) listener();
}
