// Passkeys on the member pages (WebAuthn): join with one, sign in with one, add one. Each form names two calls: its
// data-options (the server's options, with a fresh challenge) and its action (the answer). The server writes binary
// fields in base64url; navigator.credentials wants ArrayBuffers and answers with them, which go back as base64url.
// Every call carries the page's antiforgery token in a header. Without passkeys in the browser the forms stay hidden.
"use strict";
(function () {
  if (!window.PublicKeyCredential || !navigator.credentials || !window.fetch) {
    return;
  }

  function bytes(text) {
    var base64 = text.replace(/-/g, "+").replace(/_/g, "/");
    while (base64.length % 4) {
      base64 += "=";
    }
    var binary = atob(base64), out = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) {
      out[i] = binary.charCodeAt(i);
    }
    return out.buffer;
  }

  function text(buffer) {
    var data = new Uint8Array(buffer), binary = "";
    for (var i = 0; i < data.length; i++) {
      binary += String.fromCharCode(data[i]);
    }
    return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function create(options) {
    options.challenge = bytes(options.challenge);
    options.user.id = bytes(options.user.id);
    (options.excludeCredentials || []).forEach(function (c) { c.id = bytes(c.id); });
    return navigator.credentials.create({ publicKey: options }).then(function (c) {
      return {
        id: c.id, rawId: text(c.rawId), type: c.type, clientExtensionResults: c.getClientExtensionResults(),
        response: {
          attestationObject: text(c.response.attestationObject),
          clientDataJSON: text(c.response.clientDataJSON),
          transports: c.response.getTransports ? c.response.getTransports() : [],
        },
      };
    });
  }

  function get(options) {
    options.challenge = bytes(options.challenge);
    (options.allowCredentials || []).forEach(function (c) { c.id = bytes(c.id); });
    return navigator.credentials.get({ publicKey: options }).then(function (c) {
      return {
        id: c.id, rawId: text(c.rawId), type: c.type, clientExtensionResults: c.getClientExtensionResults(),
        response: {
          authenticatorData: text(c.response.authenticatorData),
          clientDataJSON: text(c.response.clientDataJSON),
          signature: text(c.response.signature),
          userHandle: c.response.userHandle ? text(c.response.userHandle) : null,
        },
      };
    });
  }

  // A refusal is a problem details document (RFC 9457), worded for a person in their language: its field messages
  // say what to change (the phone number), else its detail says what happened.
  function post(form, url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "RequestVerificationToken": form.querySelector("input[name=__RequestVerificationToken]").value },
      body: JSON.stringify(body),
    }).then(function (response) {
      return response.json().then(function (data) {
        if (!response.ok) {
          var fields = data.errors ? Object.keys(data.errors).map(function (k) { return data.errors[k].join(" "); }) : [];
          var refused = new Error(fields.length ? fields.join(" ") : data.detail || data.title);
          refused.status = response.status;
          throw refused;
        }
        return data;
      });
    });
  }

  function run(form, fields, ceremony) {
    var error = form.querySelector(".form-error"), button = form.querySelector("button[type=submit]"), credential = null;
    error.hidden = true;
    button.disabled = true;
    post(form, form.dataset.options, fields)
      .then(function (started) {
        return ceremony(started.publicKey).then(function (answer) {
          credential = answer;
          fields.ceremony = started.ceremony;
          fields.credential = answer;
          return post(form, form.action, fields);
        });
      })
      .then(function (done) { location.href = done.next; })
      .catch(function (e) {
        button.disabled = false;
        // The phone still offers a passkey the shop no longer knows (removed, or the membership deleted): tell it so.
        if (e.status === 404 && credential && PublicKeyCredential.signalUnknownCredential) {
          PublicKeyCredential.signalUnknownCredential({ rpId: location.hostname, credentialId: credential.id }).catch(function () { });
        }
        error.textContent = e.name === "NotAllowedError" || e.name === "AbortError" ? form.dataset.cancelled
          : e.name === "InvalidStateError" && form.dataset.exists ? form.dataset.exists
            : e.message;
        error.hidden = false;
      });
  }

  function value(form, name) {
    var field = form.elements[name];
    return field ? field.value : "";
  }

  var forms = {
    "passkey-join": function (form) {
      run(form, { name: value(form, "Name"), phone: value(form, "Phone"), offers: form.elements.Offers.checked }, create);
    },
    "passkey-add": function (form) { run(form, { name: value(form, "Name") }, create); },
    "passkey-signin": function (form) { run(form, {}, get); },
  };
  Object.keys(forms).forEach(function (id) {
    var form = document.getElementById(id);
    if (form) {
      form.addEventListener("submit", function (e) {
        e.preventDefault();
        forms[id](form);
      });
    }
  });
  document.querySelectorAll(".passkey[hidden]").forEach(function (shown) { shown.hidden = false; });
})();
