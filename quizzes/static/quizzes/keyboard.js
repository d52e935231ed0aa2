// Keyboard-first answering: 1-9 picks a choice (or ticks and unticks it, where several may be
// ticked), Enter submits (with certainty-based marking, Shift+1 to Shift+3 submits at that certainty);
// after feedback, Enter follows "Next".
"use strict";

document.addEventListener("keydown", (event) => {
  if (event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
  if (event.target.closest("textarea, select, input:not([type=radio], [type=checkbox]), button, a")) return;
  const form = document.querySelector("form[data-quiz-answer]");
  if (!form) return;
  const inputs = form.querySelectorAll("input[name=choice]");
  const certainty = event.shiftKey && /^Digit[1-3]$/.test(event.code)
    ? form.querySelector(`button[data-certainty="${event.code.slice(-1)}"]`) : null;
  if (certainty) {
    event.preventDefault();
    certainty.click();  // a click, not requestSubmit(): htmx sends the value of the button last clicked
  } else if (/^[1-9]$/.test(event.key)) {
    const input = inputs[Number(event.key) - 1];
    if (input) {
      input.checked = input.type === "checkbox" ? !input.checked : true;
      input.focus();
      event.preventDefault();
    }
  } else if (event.key === "Enter" && !form.querySelector("[data-certainty]")
             && form.querySelector("input[name=choice]:checked")) {
    event.preventDefault();
    form.requestSubmit();
  }
});

// When htmx swaps in the feedback panel, put the focus on "Next" so that Enter moves on.
document.addEventListener("htmx:afterSettle", () => {
  const next = document.querySelector("[data-quiz-next]");
  if (next) next.focus();
});
