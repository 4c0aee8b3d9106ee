// The sign-in page's only script: say why we came back here after a refused key.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const error = new URLSearchParams(location.search).get("error");
  if (error === "invalid") {
    document.getElementById("signin-error").hidden = false;
  } else if (error === "throttled") {
    document.getElementById("signin-throttled").hidden = false;
  }
});
