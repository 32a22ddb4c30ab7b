import { callApi, ApiProblem } from "./api.js";
import { element, link } from "./element.js";
import { showFieldErrors } from "./field-errors.js";
import { requireSession } from "./session.js";
import { windowText, zonedTime } from "./zoned-time.js";

const recapId = new URLSearchParams(location.search).get("id") ?? "";
const pollEvery = 1500;
const fallbackReasons = {
  provider_error: "the model's provider failed",
  rate_limited: "the model's provider was rate limited",
  budget_exhausted: "the token budget was spent",
  invalid_output: "the model's answer was not a valid recap",
  input_too_large: "the channels were too large for the model",
};
const deliveryStates = { pending: "Pending", delivered: "Delivered", failed: "Failed" };
let zone = "UTC";

function fact(term, ...description) {
  const dd = element("dd");
  dd.append(...description);
  document.getElementById("facts").append(element("dt", term), dd);
}

/** A cited post as a reader checks it: who said it, when, and what. */
function citation(postId, posts) {
  const item = element("li");
  const post = posts.get(postId);
  if (!post) {
    item.append(element("span", "This post is no longer available to you (deleted, or in a channel you have left).", "muted"));
    return item;
  }
  const source = element("p", undefined, "source");
  source.append(element("span", post.authorId, "author"), " · ", zonedTime(post.createdAt, zone));
  item.append(source, element("blockquote", post.message, "post"));
  return item;
}

function items(heading, list, posts) {
  if (list.length === 0) {
    return [];
  }
  const ul = element("ul", undefined, "items");
  for (const entry of list) {
    const li = element("li");
    li.append(element("p", entry.text, "item-text"));
    if (entry.postIds.length > 0) {
      const cited = element("ul", undefined, "citations");
      cited.setAttribute("aria-label", entry.postIds.length === 1 ? "Cited post" : "Cited posts");
      cited.append(...entry.postIds.map(id => citation(id, posts)));
      li.append(cited);
    }
    ul.append(li);
  }
  return [element("h3", heading), ul];
}

function channel(part, index, posts) {
  const section = element("section", undefined, "channel");
  const headingId = `channel-${index}`;
  const heading = element("h2", part.channelName);
  heading.id = headingId;
  section.setAttribute("aria-labelledby", headingId);
  section.append(heading, element("p", part.messageCount === 1 ? "1 message" : `${part.messageCount} messages`, "muted"));
  if (part.error) {
    section.append(element("p", `Not summarised: ${part.error}`, "error"));
  }
  section.append(...items("Highlights", part.highlights, posts), ...items("Action items", part.actionItems, posts));
  if (!part.error && part.highlights.length === 0 && part.actionItems.length === 0) {
    section.append(element("p", "Nothing to report in this window.", "muted"));
  }
  return section;
}

function deliveryTarget(target) {
  switch (target.type) {
    case "webhook": return `Webhook to ${target.url}`;
    case "email": return `Email to ${target.address}`;
    default: return "In the app";
  }
}

function deliveries(recap) {
  const rows = recap.deliveries.map(delivery => {
    const tr = element("tr");
    const target = element("th", deliveryTarget(delivery.target));
    target.scope = "row";
    const when = element("td");
    when.append(zonedTime(delivery.at, zone));
    tr.append(target, element("td", deliveryStates[delivery.status] ?? delivery.status), when, element("td", delivery.error ?? ""));
    return tr;
  });
  document.getElementById("delivery-rows").replaceChildren(...rows);
  document.getElementById("deliveries").hidden = rows.length === 0;
  document.getElementById("deliveries-state").textContent = rows.length === 0 ? "No delivery is recorded for this recap." : "";
}

function versionItem(version) {
  const li = element("li");
  if (version.state === "stored") {
    const shown = link(`recap.html?id=${encodeURIComponent(version.recapId)}`, `Version ${version.version}`);
    if (version.recapId === recapId) {
      shown.setAttribute("aria-current", "page");
    }
    li.append(shown, ` · ${version.agent} · stored `, zonedTime(version.at, zone));
  } else if (version.state === "pending") {
    li.append(`Version ${version.version} · ${version.agent} · being written, asked for `, zonedTime(version.at, zone));
  } else {
    li.append(`Version ${version.version} · ${version.agent} · could not be written: ${version.error ?? "unknown error"}`);
  }
  return li;
}

async function showVersions() {
  const { items: versions } = await callApi(`v1/recaps/${encodeURIComponent(recapId)}/versions`);
  document.getElementById("versions").replaceChildren(...versions.map(versionItem));
  return versions;
}

function showFeedback(feedback) {
  if (!feedback) {
    return;
  }
  document.querySelector(`input[name="rating"][value="${feedback.rating}"]`).checked = true;
  document.getElementById("comment").value = feedback.comment ?? "";
}

async function giveFeedback(event) {
  event.preventDefault();
  const form = event.target;
  const button = form.querySelector("button[type=submit]");
  const state = document.getElementById("feedback-state");
  const summary = document.getElementById("feedback-error");
  const rating = form.querySelector('input[name="rating"]:checked')?.value ?? null;
  const comment = document.getElementById("comment").value;
  button.disabled = true;
  state.textContent = "";
  try {
    const given = await callApi(`v1/recaps/${encodeURIComponent(recapId)}/feedback`, {
      method: "POST", body: { rating, comment: comment.trim() === "" ? null : comment },
    });
    showFieldErrors(["rating", "comment"], {}, summary, "");
    state.textContent = `Thank you: your feedback (${given.rating === "up" ? "up" : "down"}) was saved.`;
  } catch (error) {
    const errors = error instanceof ApiProblem ? error.errors : {};
    showFieldErrors(["rating", "comment"], errors, summary, Object.keys(errors).length > 0 ? "Not saved: see the fields marked above." : `Not saved: ${error.message}`);
  } finally {
    button.disabled = false;
  }
}

// The version this page asked for, opened once it is stored; one loop follows the versions at a time.
let awaited = null;
let following = false;

/** Follows the versions while one is pending, showing each state; opens `awaited` once it is stored. */
async function follow() {
  if (following) {
    return;
  }
  following = true;
  try {
    await followVersions();
  } finally {
    following = false;
  }
}

async function followVersions() {
  const state = document.getElementById("regenerate-state");
  for (;;) {
    let versions;
    try {
      versions = await showVersions();
    } catch (error) {
      state.textContent = `Could not follow the new version: ${error.message}`;
      return;
    }
    const asked = versions.find(version => version.recapId === awaited?.recapId);
    if (asked?.state === "stored") {
      state.textContent = `Version ${asked.version} is ready; opening it.`;
      location.assign(`recap.html?id=${encodeURIComponent(asked.recapId)}`);
      return;
    }
    if (asked?.state === "failed") {
      awaited = null;
      state.textContent = `Version ${asked.version} could not be written: ${asked.error ?? "unknown error"}. You can ask again.`;
    }
    if (!awaited && !versions.some(version => version.state === "pending")) {
      return;
    }
    await new Promise(resolve => setTimeout(resolve, pollEvery));
  }
}

async function regenerate(event) {
  event.preventDefault();
  const form = event.target;
  const button = form.querySelector("button[type=submit]");
  const state = document.getElementById("regenerate-state");
  const agent = document.getElementById("agent").value;
  button.disabled = true;
  state.textContent = "";
  try {
    const requested = await callApi(`v1/recaps/${encodeURIComponent(recapId)}/regenerate`, { method: "POST", body: { agent: agent === "" ? null : agent } });
    showFieldErrors(["agent"], {}, document.getElementById("regenerate-error"), "");
    state.textContent = `Version ${requested.version} is pending: ${requested.agent} is writing it. This page opens it when it is stored.`;
    awaited = requested;
    follow();
  } catch (error) {
    const errors = error instanceof ApiProblem ? error.errors : {};
    showFieldErrors(["agent"], errors, document.getElementById("regenerate-error"),
      Object.keys(errors).length > 0 ? "Not asked for: see the field marked above." : `Not asked for: ${error.message}`);
  } finally {
    button.disabled = false;
  }
}

async function loadAgents() {
  try {
    const { items: agents } = await callApi("v1/agents");
    document.getElementById("agent").append(...agents.map(agent => {
      const option = element("option", agent.model ? `${agent.name} (${agent.model})` : `${agent.name} (built in)`);
      option.value = agent.name;
      return option;
    }));
  } catch (error) {
    document.getElementById("agent-error").textContent = `Could not load the agents: ${error.message}`;
  }
}

/** The schedule's zone and a link to it; a deleted schedule's recap reads in UTC. */
async function scheduleOf(recap) {
  try {
    const schedule = await callApi(`v1/schedules/${encodeURIComponent(recap.scheduleId)}`);
    zone = schedule.timeZone;
    return link(`schedule.html?id=${encodeURIComponent(schedule.id)}`, schedule.title);
  } catch (error) {
    if (error instanceof ApiProblem && error.status === 404) {
      return element("span", "Deleted; times are in UTC");
    }
    throw error;
  }
}

async function load() {
  const state = document.getElementById("page-state");
  let recap;
  try {
    recap = await callApi(`v1/recaps/${encodeURIComponent(recapId)}`);
  } catch (error) {
    state.textContent = error instanceof ApiProblem && error.status === 404
      ? "This recap does not exist, or it is not yours. Recaps are listed under Recaps."
      : `Could not load the recap: ${error.message}`;
    return;
  }
  try {
    const [schedule, { items: cited }] = await Promise.all([scheduleOf(recap), callApi(`v1/recaps/${encodeURIComponent(recapId)}/posts`)]);
    const posts = new Map(cited.map(post => [post.id, post]));
    document.getElementById("recap-title").textContent = recap.title;
    document.title = `${recap.title} · Recaps`;
    fact("Window", windowText(recap, zone));
    fact("Stored", zonedTime(recap.createdAt, zone));
    fact("Version", `${recap.version}, by ${recap.agent}`);
    fact("Schedule", schedule);
    if (recap.fallback) {
      const fallback = document.getElementById("fallback");
      fallback.textContent = `Written by the extractive agent instead of ${recap.agent}: ${fallbackReasons[recap.fallback.reason] ?? recap.fallback.reason}.`;
      fallback.hidden = false;
    }
    document.getElementById("channels").replaceChildren(...recap.channels.map((part, index) => channel(part, index, posts)));
    showFeedback(recap.feedback);
    deliveries(recap);
    document.getElementById("recap").hidden = false;
    state.textContent = "";
    follow();
    await loadAgents();
  } catch (error) {
    state.textContent = `Could not load the recap: ${error.message}`;
  }
}

if (requireSession()) {
  document.getElementById("feedback-form").addEventListener("submit", giveFeedback);
  document.getElementById("regenerate-form").addEventListener("submit", regenerate);
  await load();
}
