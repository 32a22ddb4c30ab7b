// The signed-in user's bearer token, kept for this tab only: closing it signs out.
const key = "recaps.session";

export function currentSession() {
  const kept = sessionStorage.getItem(key);
  return kept ? JSON.parse(kept) : null;
}

export function startSession(userId, accessToken) {
  sessionStorage.setItem(key, JSON.stringify({ userId, accessToken }));
}

export function endSession() {
  sessionStorage.removeItem(key);
}

/** The session of a page that needs one; without one, goes to the sign-in page. */
export function requireSession() {
  const session = currentSession();
  if (!session) {
    location.replace("sign-in.html");
    return null;
  }
  document.getElementById("who").textContent = `Signed in as ${session.userId}`;
  document.getElementById("sign-out").addEventListener("click", () => {
    endSession();
    location.assign("sign-in.html");
  });
  return session;
}
