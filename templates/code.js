// Progressive enhancement only: the page works the same without it.
(function () {
  "use strict";
  var script = document.currentScript;
  // The resend countdown: the server rendered the seconds left; count them down and allow
  // the resend when they are over.
  var note = document.getElementById("resend-note");
  var resend = document.getElementById("resend");
  if (note && note.dataset.seconds && resend) {
    var left = Number(note.dataset.seconds);
    var template = note.dataset.template;
    var tick = function () {
      left -= 1;
      if (left <= 0) {
        note.remove();
        resend.disabled = false;
        resend.removeAttribute("aria-describedby");
        return;
      }
      var time = Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0");
      note.textContent = template.replace("{time}", time);
      setTimeout(tick, 1000);
    };
    setTimeout(tick, 1000);
  }
  // When the code expires, show the page the server has for that (a new code as the action).
  var expires = script && Number(script.dataset.expires);
  if (expires > 0) {
    setTimeout(function () { window.location.reload(); }, expires * 1000 + 500);
  }
  // WebOTP: the SMS ends with "@host #code", so the phone can offer the code to this page.
  var input = document.getElementById("otp");
  if (input && "OTPCredential" in window) {
    var abort = new AbortController();
    window.addEventListener("pagehide", function () { abort.abort(); });
    input.form.addEventListener("submit", function () { abort.abort(); });
    navigator.credentials
      .get({ otp: { transport: ["sms"] }, signal: abort.signal })
      .then(function (otp) {
        if (otp && otp.code && !abort.signal.aborted) {
          input.value = otp.code;
          input.form.submit();
        }
      })
      .catch(function () {});
  }
})();
