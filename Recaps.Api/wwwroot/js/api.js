// Every call goes to the REST API v1 on this origin, as any other client's would.
import { currentSession, endSession } from "./session.js";

/** A problem-details answer (RFC 9457): `errors` maps camelCase field names to messages. */
export class ApiProblem extends Error {
  constructor(status, problem) {
    super(problem?.detail ?? problem?.title ?? `The API answered ${status}.`);
    this.status = status;
    this.errors = problem?.errors ?? {};
  }
}

export async function callApi(path, { method = "GET", body, headers = {} } = {}) {
  const sent = { Accept: "application/json", ...headers };
  const session = currentSession();
  if (session) {
    sent.Authorization = `Bearer ${session.accessToken}`;
  }
  if (body !== undefined) {
    sent["Content-Type"] = "application/json";
  }
  const response = await fetch(path, { method, headers: sent, body: body === undefined ? undefined : JSON.stringify(body) });
  if (response.status === 401) {
    // The token expired or was never valid here: sign in again.
    endSession();
    location.assign("sign-in.html");
  }
  const answer = response.status === 204 ? null : await response.json().catch(() => null);
  if (!response.ok) {
    throw new ApiProblem(response.status, answer);
  }
  return answer;
}
