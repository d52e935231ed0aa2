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

// A redraw writes only the rendition this screen shows (the phone's stacked one or the page's wide
// one), named in a header so that shared lab URLs stay free of it. The media query is the <picture>'s.
const NARROW_SCREEN = window.matchMedia("(max-width: 600px)");
document.addEventListener("htmx:configRequest", (event) => {
  if (event.detail.elt.closest && event.detail.elt.closest(".lab-form")) {
    event.detail.headers["X-Lab-Layout"] = NARROW_SCREEN.matches ? "narrow" : "wide";
  }
});
