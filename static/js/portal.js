// Progressive enhancement only: every page works without JavaScript.
document.addEventListener("DOMContentLoaded", () => {
  // Put keyboard and screen-reader focus on the first invalid field after a failed submit.
  const invalid = document.querySelector(".is-invalid, [aria-invalid='true']");
  if (invalid) {
    invalid.focus();
  }
});
