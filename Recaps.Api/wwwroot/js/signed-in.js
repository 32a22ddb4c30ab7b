import { completeSignIn, SignInError } from "./oidc.js";

const status = document.getElementById("status");

try {
  await completeSignIn(new URLSearchParams(location.search));
  // Replaced, so Back does not return to an answer whose code is spent.
  location.replace("./");
} catch (error) {
  document.getElementById("failure").hidden = false;
  status.className = "error";
  status.textContent = error instanceof SignInError ? error.message : `Could not sign in: ${error.message}`;
  document.getElementById("again").focus();
}
