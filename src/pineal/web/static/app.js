// pineal pages: the only script (no inline scripts, for the Content-Security-Policy). Every form works without it.
// While a form is being computed, its button says so and cannot be pressed twice.
// Airport fields (data-airport) suggest airports from GET /api/airports?q= as the user types (a <datalist>).
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
  const list = document.getElementById("airport-list");
  let timer = null;
  let asked = "";
  for (const input of document.querySelectorAll("input[data-airport]")) {
    input.addEventListener("input", () => {
      const q = input.value.trim();
      clearTimeout(timer);
      if (!list || q.length < 2 || q === asked || q.includes("·")) return;
      timer = setTimeout(async () => {
        asked = q;
        try {
          const r = await fetch("/api/airports?limit=12&q=" + encodeURIComponent(q));
          if (!r.ok) return;
          const found = (await r.json()).airports;
          list.replaceChildren(...found.map((a) => {
            const o = document.createElement("option");
            o.value = a.iata;
            o.label = `${a.iata} · ${a.city || a.name}, ${a.country} (${a.name})`;
            o.textContent = o.label;
            return o;
          }));
        } catch (err) {
          // no suggestions: typing the code still works
        }
      }, 150);
    });
  }
});
