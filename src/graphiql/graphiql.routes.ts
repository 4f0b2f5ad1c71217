import path from "node:path";
import type express from "express";
import type { AppConfig } from "../config";
import type { JwtConfig } from "../auth/jwt.config";
import { packageDir, projectRoot, serveFiles } from "../ops/static-assets";
import { pageSecurityHeaders } from "../ops/page-headers";
import { devTokens, mayOfferDevTokens } from "./dev-tokens";
import { EXAMPLE_OPERATIONS } from "./graphiql.examples";

/**
 * GraphiQL at /graphiql, entirely from npm packages (graphiql's UMD build and React 18's), so it
 * works with no internet. The page offers example operations and, when DEV_TOKENS is on and only
 * to a browser on this machine, the development tokens `npm start` prints.
 */
export function installGraphiql(app: express.Express, options: { config: AppConfig; jwt: JwtConfig }): void {
  const graphiql = packageDir("graphiql");
  const react = packageDir("react");
  const reactDom = packageDir("react-dom");
  const own = path.join(projectRoot(), "src", "graphiql", "public");
  app.use("/graphiql", pageSecurityHeaders());
  app.use(
    "/graphiql/assets",
    serveFiles({
      "graphiql.min.css": path.join(graphiql, "graphiql.min.css"),
      "graphiql.min.js": path.join(graphiql, "graphiql.min.js"),
      "react.production.min.js": path.join(react, "umd", "react.production.min.js"),
      "react-dom.production.min.js": path.join(reactDom, "umd", "react-dom.production.min.js"),
      "graphiql-app.js": path.join(own, "graphiql-app.js"),
      "graphiql-app.css": path.join(own, "graphiql-app.css"),
    }),
  );
  app.get("/graphiql/config.json", (req, res) => {
    const offerTokens = mayOfferDevTokens(options.config, { remoteAddress: req.socket.remoteAddress, headers: req.headers });
    res.setHeader("cache-control", "no-store");
    res.json({
      endpoint: "/graphql",
      examples: EXAMPLE_OPERATIONS,
      tokens: offerTokens ? devTokens(options.jwt) : [],
    });
  });
  app.get(["/graphiql", "/graphiql/"], (_req, res) => {
    res.sendFile(path.join(own, "index.html"));
  });
}
