/* Kawal Bansos console: upload a household list with a progress bar.
 * Without this file (or without XMLHttpRequest/FormData) the form posts as usual. The words shown come
 * from the form's data-* attributes, already in the reader's language. */
(function () {
  "use strict";

  function words(form, name, percent) {
    return (form.getAttribute("data-" + name) || "").replace("{percent}", String(percent));
  }

  function swapPage(html) {
    /* A refused file answers with the form page and its message: show that page's content in place. */
    var parsed = new DOMParser().parseFromString(html, "text/html");
    var fresh = parsed.querySelector("main");
    var main = document.querySelector("main");
    if (!fresh || !main) {
      return false;
    }
    main.innerHTML = fresh.innerHTML;
    var alert = main.querySelector("[role=alert]");
    if (alert) {
      alert.setAttribute("tabindex", "-1");
      alert.focus();
    }
    start();
    return true;
  }

  function send(form) {
    var input = form.querySelector("input[type=file]");
    var button = form.querySelector("button[type=submit]");
    var box = form.querySelector(".upload-progress");
    var bar = form.querySelector("progress");
    var status = form.querySelector(".upload-status");
    var file = input && input.files && input.files[0];
    var limit = parseInt(form.getAttribute("data-max-bytes"), 10);
    if (file && limit && file.size > limit) {
      status.textContent = words(form, "too-large", 0);
      return;
    }
    var request = new XMLHttpRequest();
    request.open("POST", form.action);
    request.upload.onprogress = function (event) {
      if (event.lengthComputable) {
        var percent = Math.floor((event.loaded / event.total) * 100);
        bar.value = percent;
        status.textContent = words(form, "uploading", percent);
      }
    };
    request.upload.onload = function () {
      bar.removeAttribute("value"); /* the server is now checking and importing: no measure of that */
      status.textContent = words(form, "processing", 100);
    };
    request.onload = function () {
      if (request.responseURL && request.responseURL !== form.action) {
        window.location.assign(request.responseURL); /* the result page, after the server's redirect */
      } else if (!swapPage(request.responseText)) {
        window.location.reload();
      }
    };
    request.onerror = function () {
      button.disabled = false;
      box.hidden = true;
      status.textContent = words(form, "failed", 0);
    };
    button.disabled = true;
    box.hidden = false;
    bar.value = 0;
    status.textContent = words(form, "uploading", 0);
    request.send(new FormData(form));
  }

  function start() {
    var form = document.querySelector("form[data-upload-progress]");
    if (!form || !window.XMLHttpRequest || !window.FormData || !window.DOMParser) {
      return;
    }
    form.addEventListener("submit", function (event) {
      if (!form.checkValidity()) {
        return;
      }
      event.preventDefault();
      send(form);
    });
  }

  start();
})();
