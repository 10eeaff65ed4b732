/* Co-City: a live count under each text with a limit ("120 caratteri su 4.000").
   The page works without this script: the limit is stated in the field's help text, the
   browser stops at `maxlength`, and the server refuses a longer text with a message.
   The counter's wording comes from the page (`data-counter`, translated by the server), with
   {count} and {limit} filled in here. Line breaks count as one character, as the browser's
   `maxlength` counts them and as the server does. */
(function () {
  "use strict";

  var NEAR = 0.9; // from 90% of the limit the counter stands out and is announced
  var language = document.documentElement.lang || undefined;

  // Grouped as the server writes the limit ("5.000"): Italian leaves four digits ungrouped
  // by default.
  function format(number) {
    try { return number.toLocaleString(language, { useGrouping: "always" }); }
    catch (e) { return String(number); }
  }

  function attach(field) {
    var limit = parseInt(field.getAttribute("maxlength"), 10);
    var template = field.getAttribute("data-counter");
    if (!limit || !template || !field.id) { return; }
    var counter = document.createElement("small");
    counter.className = "form-text d-block text-counter";
    counter.id = field.id + "_counter";
    field.insertAdjacentElement("afterend", counter);
    var described = field.getAttribute("aria-describedby");
    field.setAttribute("aria-describedby", (described ? described + " " : "") + counter.id);

    function update() {
      var count = field.value.length;
      counter.textContent = template
        .replace("{count}", format(count))
        .replace("{limit}", format(limit));
      var near = count >= limit * NEAR;
      counter.classList.toggle("text-danger", near);
      counter.classList.toggle("fw-semibold", near);
      // Screen readers hear the count near the limit only, not at every key.
      if (near) { counter.setAttribute("aria-live", "polite"); }
      else { counter.removeAttribute("aria-live"); }
    }

    field.addEventListener("input", update);
    update();
  }

  function start() {
    var fields = document.querySelectorAll("textarea[data-counter][maxlength]");
    for (var i = 0; i < fields.length; i++) { attach(fields[i]); }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
