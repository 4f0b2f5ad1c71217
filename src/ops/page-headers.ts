import helmet from "helmet";
import type express from "express";

/**
 * Browser security headers for the pages the API serves (/graphiql, /dashboard), from helmet:
 * a Content-Security-Policy that lets a page load only this server's own files and talk only to
 * this server (a token-stealing script injected into a page has nowhere to send it), no framing
 * (clickjacking), nosniff, and no Referer (tokens may travel in the URL fragment; paths still leak).
 * HSTS is left to whatever terminates TLS in front of the API.
 */
export function pageSecurityHeaders(): express.RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "script-src-attr": ["'none'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
      },
    },
    xFrameOptions: { action: "deny" },
    referrerPolicy: { policy: "no-referrer" },
    strictTransportSecurity: false,
  });
}
