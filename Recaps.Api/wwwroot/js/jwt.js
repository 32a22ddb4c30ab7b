// A JWT's claims as the page reads them: the token was checked where it came from (the token
// endpoint over TLS, the API on every call), so only its payload is decoded here, never trusted.

/** The payload of `jwt` as an object: base64url-decoded as UTF-8, so non-ASCII names read as sent; throws if it cannot be read. */
export function claimsOf(jwt) {
  const payload = jwt.split(".")[1].replaceAll("-", "+").replaceAll("_", "/");
  return JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(Uint8Array.from(atob(payload), (c) => c.charCodeAt(0))));
}
