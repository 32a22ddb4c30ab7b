// Sign-in at the organisation's identity provider: OpenID Connect's authorization-code flow with
// PKCE (S256), as a public client (no secret). The one-time values live in this tab's
// sessionStorage from the redirect to the provider until its answer comes back, and no longer.
import { startSession } from "./session.js";
import { claimsOf } from "./jwt.js";

const pendingKey = "recaps.sign-in";

/** The page the provider sends the person back to; registered there as the client's redirect URI. */
export const redirectUri = new URL("signed-in.html", location.href).href;

/** A sign-in failure the person can act on; its message says what happened. */
export class SignInError extends Error {}

const withoutTrailingSlash = (url) => url.replace(/\/+$/, "");

function base64Url(bytes) {
  return btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function randomValue() {
  return base64Url(crypto.getRandomValues(new Uint8Array(32)));
}

async function discover(authority) {
  let response;
  try {
    response = await fetch(`${withoutTrailingSlash(authority)}/.well-known/openid-configuration`, { headers: { Accept: "application/json" } });
  } catch {
    throw new SignInError("The identity provider cannot be reached.");
  }
  if (!response.ok) {
    throw new SignInError(`The identity provider's discovery document answered ${response.status}.`);
  }
  const provider = await response.json();
  // OpenID Connect Discovery §4.3: a document for another issuer is not this provider's.
  if (withoutTrailingSlash(provider.issuer ?? "") !== withoutTrailingSlash(authority)) {
    throw new SignInError(`The identity provider says it is ${provider.issuer}, not ${authority}.`);
  }
  const methods = provider.code_challenge_methods_supported;
  if (Array.isArray(methods) && !methods.includes("S256")) {
    throw new SignInError("The identity provider does not support PKCE with S256.");
  }
  return provider;
}

/** Goes to the provider's sign-in page; the provider comes back to {@link redirectUri}. */
export async function beginSignIn({ authority, clientId, scope }) {
  const provider = await discover(authority);
  const pending = { state: randomValue(), nonce: randomValue(), codeVerifier: randomValue(), issuer: provider.issuer, clientId, tokenEndpoint: provider.token_endpoint };
  const challenge = base64Url(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(pending.codeVerifier)));
  sessionStorage.setItem(pendingKey, JSON.stringify(pending));
  const authorize = new URL(provider.authorization_endpoint);
  for (const [name, value] of Object.entries({
    response_type: "code", client_id: clientId, redirect_uri: redirectUri, scope,
    state: pending.state, nonce: pending.nonce, code_challenge: challenge, code_challenge_method: "S256",
  })) {
    authorize.searchParams.set(name, value);
  }
  location.assign(authorize.href);
}

function idTokenClaims(idToken) {
  try {
    return claimsOf(idToken);
  } catch {
    throw new SignInError("The identity provider sent an ID token that cannot be read.");
  }
}

/**
 * The provider's answer (the callback's query): checked against this tab's pending sign-in, the code
 * exchanged for tokens, the session started. Whatever the outcome, the one-time values are gone.
 */
export async function completeSignIn(answer) {
  const kept = sessionStorage.getItem(pendingKey);
  sessionStorage.removeItem(pendingKey);
  const pending = kept ? JSON.parse(kept) : null;
  if (!pending || answer.get("state") !== pending.state) {
    throw new SignInError("This answer does not belong to a sign-in started in this tab (its state does not match).");
  }
  if (answer.has("error")) {
    throw new SignInError(`The identity provider refused the sign-in: ${answer.get("error_description") ?? answer.get("error")}.`);
  }
  // RFC 9207: a provider that names itself must be the one this sign-in went to.
  if (answer.has("iss") && answer.get("iss") !== pending.issuer) {
    throw new SignInError(`The answer comes from ${answer.get("iss")}, not from ${pending.issuer}.`);
  }
  if (!answer.get("code")) {
    throw new SignInError("The identity provider's answer has no authorization code.");
  }
  let response;
  try {
    response = await fetch(pending.tokenEndpoint, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
      body: new URLSearchParams({
        grant_type: "authorization_code", code: answer.get("code"), redirect_uri: redirectUri,
        client_id: pending.clientId, code_verifier: pending.codeVerifier,
      }),
    });
  } catch {
    throw new SignInError("The identity provider's token endpoint cannot be reached.");
  }
  const tokens = await response.json().catch(() => ({}));
  if (!response.ok || !tokens.access_token || !tokens.id_token) {
    throw new SignInError(`The identity provider gave no tokens: ${tokens.error_description ?? tokens.error ?? `it answered ${response.status}`}.`);
  }
  // Straight from the token endpoint over TLS, so the claims are checked, not the signature (OpenID Connect Core §3.1.3.7).
  const id = idTokenClaims(tokens.id_token);
  const audiences = [id.aud].flat();
  if (id.iss !== pending.issuer || !audiences.includes(pending.clientId) || id.nonce !== pending.nonce || !(id.exp * 1000 > Date.now()) || !id.sub) {
    throw new SignInError("The identity provider's ID token is not for this sign-in (issuer, audience, nonce or expiry).");
  }
  startSession(id.sub, tokens.access_token);
}
