// The sign-in page's only script: say why we came back here after a refused key.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  if (new URLSearchParams(location.search).get("error") === "invalid") {
    document.getElementById("signin-error").hidden = false;
  }
});
