import "graphiql/setup-workers/vite";
import "graphiql/style.css";
import { createGraphiQLFetcher } from "@graphiql/toolkit";
import { GraphiQL } from "graphiql";
import { createRoot } from "react-dom/client";

/**
 * GraphiQL for development, bundled from npm (no CDN). Signed in to the console on this origin, the queries carry
 * that session's access token; otherwise put `{"authorization": "Bearer …"}` in the headers tab.
 */
function consoleToken(): string | null {
  try {
    const held = JSON.parse(localStorage.getItem("reserve-ledger.session") ?? "null") as {
      accessToken?: string;
    } | null;
    return held?.accessToken ?? null;
  } catch {
    return null;
  }
}

const fetcher = createGraphiQLFetcher({
  url: "/graphql",
  fetch: (input, init) => {
    const headers = new Headers(init?.headers);
    const token = consoleToken();
    if (token && !headers.has("authorization")) headers.set("authorization", `Bearer ${token}`);
    return fetch(input, { ...init, headers });
  },
});

createRoot(document.getElementById("graphiql")!).render(<GraphiQL fetcher={fetcher} />);
