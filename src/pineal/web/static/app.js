// pineal pages: the only script (no inline scripts, for the Content-Security-Policy).
// While a form is being computed, its button says so and cannot be pressed twice.
document.addEventListener("DOMContentLoaded", () => {
  for (const form of document.querySelectorAll("form")) {
    form.addEventListener("submit", () => {
      const button = form.querySelector("button[type=submit]");
      if (button) {
        button.disabled = true;
        button.textContent = "Computing…";
      }
      form.setAttribute("aria-busy", "true");
    });
  }
});
