// The lab's sliders: shown only with JavaScript, each moving its number box, which alone is sent.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  for (const slider of document.querySelectorAll(".lab-form input[type=range][hidden]")) {
    slider.hidden = false;
  }
});

document.addEventListener("input", (event) => {
  const target = event.target;
  const partner = target.dataset && target.dataset.sync && document.getElementById(target.dataset.sync);
  // An emptied box leaves its slider where it was; the server names the missing value.
  if (partner && target.value !== "") partner.value = target.value;
});

document.addEventListener("click", (event) => {
  const button = event.target.closest && event.target.closest("[data-new-network]");
  if (!button) return;
  event.preventDefault();
  const box = document.getElementById(button.dataset.newNetwork);
  box.value = String(crypto.getRandomValues(new Uint32Array(1))[0] % 2147483648);
  box.dispatchEvent(new Event("input", { bubbles: true }));
});
