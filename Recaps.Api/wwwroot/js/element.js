/** A new element with its text and class, for the pages that build rows and lists from the API's answers. */
export function element(tag, text, className) {
  const made = document.createElement(tag);
  if (text !== undefined) {
    made.textContent = text;
  }
  if (className) {
    made.className = className;
  }
  return made;
}

/** A link to one of the app's pages. */
export function link(href, text) {
  const anchor = element("a", text);
  anchor.href = href;
  return anchor;
}
