import path from "node:path";
import type express from "express";
import { packageDir, projectRoot, serveFiles } from "../ops/static-assets";
import { pageSecurityHeaders } from "../ops/page-headers";

/**
 * The dashboard at /dashboard: a static page (src/dashboard/public) that talks only to /graphql
 * with the user's token, drawing charts with Chart.js served from node_modules (no CDN).
 * The site's root leads to it: it is the page a person opening the server's address wants.
 */
export function installDashboard(app: express.Express): void {
  const own = path.join(projectRoot(), "src", "dashboard", "public");
  const chartJs = packageDir("chart.js");
  app.use("/dashboard", pageSecurityHeaders());
  app.use(
    "/dashboard/assets",
    serveFiles({
      "chart.umd.min.js": path.join(chartJs, "dist", "chart.umd.min.js"),
      "dashboard.js": path.join(own, "dashboard.js"),
      "dashboard.css": path.join(own, "dashboard.css"),
    }),
  );
  app.get("/", (_req, res) => {
    res.redirect(302, "/dashboard/");
  });
  app.get(["/dashboard", "/dashboard/"], (_req, res) => {
    res.sendFile(path.join(own, "index.html"));
  });
}
