import { callApi, ApiProblem } from "./api.js";
import { startSession } from "./session.js";

const demo = document.getElementById("demo");
const list = document.getElementById("demo-users");
const failure = document.getElementById("sign-in-error");

async function signIn(userId) {
  try {
    const token = await callApi(`demo/users/${encodeURIComponent(userId)}/token`, { method: "POST" });
    startSession(token.userId, token.accessToken);
    location.assign("./");
  } catch (error) {
    failure.textContent = `Could not sign in: ${error.message}`;
  }
}

try {
  const users = await callApi("demo/users");
  for (const userId of users.items) {
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = `Sign in as ${userId}`;
    button.addEventListener("click", () => signIn(userId));
    const item = document.createElement("li");
    item.append(button);
    list.append(item);
  }
  demo.hidden = false;
} catch (error) {
  if (error instanceof ApiProblem && error.status === 404) {
    // Not Development: tokens come from the OIDC authority, which this version cannot reach yet.
    document.getElementById("unavailable").hidden = false;
  } else {
    failure.textContent = `Could not load the sign-in: ${error.message}`;
  }
}
