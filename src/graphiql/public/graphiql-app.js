/* Boots GraphiQL from the locally served UMD bundles; the token bar feeds the Authorization header. */
(function () {
  "use strict";
  var KEY = "vnp.token";
  var input = document.getElementById("token-input");
  var choice = document.getElementById("token-choice");
  var status = document.getElementById("token-status");

  function setToken(token) {
    token = (token || "").trim().replace(/^Bearer\s+/i, "");
    input.value = token;
    try { sessionStorage.setItem(KEY, token); } catch (e) { /* private mode */ }
    status.textContent = token ? "✓ gửi kèm mọi truy vấn (sent with every request)" : "";
  }

  input.addEventListener("change", function () { setToken(input.value); });
  input.addEventListener("paste", function () { setTimeout(function () { setToken(input.value); }, 0); });
  choice.addEventListener("change", function () { if (choice.value) setToken(choice.value); });
  document.getElementById("token-bar").addEventListener("submit", function (e) { e.preventDefault(); setToken(input.value); });

  var fromHash = /(?:^|[#&])token=([^&]+)/.exec(location.hash);
  var saved = null;
  // this tab only (sessionStorage); earlier versions kept the token in localStorage
  try { localStorage.removeItem(KEY); saved = sessionStorage.getItem(KEY); } catch (e) { /* private mode */ }
  setToken(fromHash ? decodeURIComponent(fromHash[1]) : saved || "");

  fetch("/graphiql/config.json")
    .then(function (r) { return r.json(); })
    .then(function (config) {
      (config.tokens || []).forEach(function (t) {
        var option = document.createElement("option");
        option.value = t.token;
        option.textContent = t.label;
        choice.appendChild(option);
      });
      if (!input.value && config.tokens && config.tokens.length) {
        choice.value = config.tokens[0].token;
        setToken(config.tokens[0].token);
      }
      var fetcher = GraphiQL.createFetcher({
        url: config.endpoint,
        fetch: function (url, init) {
          init = init || {};
          var headers = new Headers(init.headers || {});
          if (input.value && !headers.has("authorization")) headers.set("authorization", "Bearer " + input.value);
          init.headers = headers;
          return window.fetch(url, init);
        },
      });
      var tabs = config.examples.map(function (e) { return { query: e.query, variables: e.variables || "" }; });
      var root = ReactDOM.createRoot(document.getElementById("graphiql"));
      root.render(
        React.createElement(GraphiQL, {
          fetcher: fetcher,
          defaultTabs: tabs,
          // the editors start from the first tab (GraphiQL 4 does not take its variables from defaultTabs)
          query: tabs[0] && tabs[0].query,
          variables: tabs[0] && tabs[0].variables,
          defaultEditorToolsVisibility: "variables",
          shouldPersistHeaders: false,
        }),
      );
    })
    .catch(function (error) {
      document.getElementById("graphiql").textContent = "Không tải được GraphiQL: " + error;
    });
})();
