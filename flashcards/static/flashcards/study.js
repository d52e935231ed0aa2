// Keyboard-first study, as in Anki: Space or Enter shows the answer, 1-4 rate, u undoes.
"use strict";

document.addEventListener("keydown", (event) => {
  if (event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
  if (event.target.closest("input, textarea, select, [contenteditable]")) return;
  const click = (selector) => {
    const element = document.querySelector(selector);
    if (!element || element.disabled) return false;
    event.preventDefault();
    element.click();
    return true;
  };
  if (event.key === " " || event.key === "Enter") {
    if (event.target.closest("a, button") && !event.target.matches("[data-flip]")) return;
    click("[data-flip]");
  } else if (/^[1-4]$/.test(event.key)) {
    click(`button[data-rating="${event.key}"]`);
  } else if (event.key === "u") {
    const form = document.querySelector("form[data-undo]");
    if (form) {
      event.preventDefault();
      form.requestSubmit();
    }
  }
});
