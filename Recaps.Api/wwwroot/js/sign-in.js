import { callApi, ApiProblem } from "./api.js";
import { startSession } from "./session.js";
import { beginSignIn } from "./oidc.js";

const failure = document.getElementById("sign-in-error");

async function signInAsDemoUser(userId) {
  try {
    const token = await callApi(`demo/users/${encodeURIComponent(userId)}/token`, { method: "POST" });
    startSession(token.userId, token.accessToken);
    location.assign("./");
  } catch (error) {
    failure.textContent = `Could not sign in: ${error.message}`;
  }
}

function offerDemoUsers(users) {
  const list = document.getElementById("demo-users");
  for (const userId of users.items) {
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = `Sign in as ${userId}`;
    button.addEventListener("click", () => signInAsDemoUser(userId));
    const item = document.createElement("li");
    item.append(button);
    list.append(item);
  }
  document.getElementById("demo").hidden = false;
}

function offerOrganisationSignIn(settings) {
  const button = document.getElementById("organisation-sign-in");
  button.addEventListener("click", async () => {
    button.disabled = true;
    failure.textContent = "";
    try {
      await beginSignIn(settings);
    } catch (error) {
      failure.textContent = `Could not sign in: ${error.message}`;
      button.disabled = false;
      button.focus();
    }
  });
  // Back from the provider's page restores this one as it was left: ready to try again.
  addEventListener("pageshow", () => { button.disabled = false; });
  document.getElementById("organisation").hidden = false;
}

/** The settings an endpoint answers, or null where this server does not offer that sign-in (404). */
async function offered(path) {
  try {
    return await callApi(path);
  } catch (error) {
    if (error instanceof ApiProblem && error.status === 404) {
      return null;
    }
    throw error;
  }
}

try {
  // Development signs in as a demo user; elsewhere at the OIDC authority, when the web app has a client id there.
  const demoUsers = await offered("demo/users");
  const organisation = demoUsers ? null : await offered("web-app/sign-in");
  if (demoUsers) {
    offerDemoUsers(demoUsers);
  } else if (organisation) {
    offerOrganisationSignIn(organisation);
  } else {
    document.getElementById("unavailable").hidden = false;
  }
} catch (error) {
  failure.textContent = `Could not load the sign-in: ${error.message}`;
}
