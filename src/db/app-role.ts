/**
 * The login role the application connects as: not superuser, not owner of any table, no BYPASSRLS,
 * so PostgreSQL row-level security applies to every query it runs. Migrations and seeds run as the
 * owner (the role of DATABASE_URL / the embedded superuser); the app role is derived from that URL.
 *
 * Roles are cluster-wide: the migration creates it only if it does not exist, and grants per database.
 */
import { t } from "../i18n/i18n";

export interface AppRole {
  user: string;
  password: string;
}

export const APP_DB_USER_DEFAULT = "vnplans_app";
/** Development default only (the embedded cluster listens on 127.0.0.1); production must set APP_DB_PASSWORD. */
export const APP_DB_PASSWORD_DEFAULT = "vnplans-app-dev-only";

/** Production's minimum length of APP_DB_PASSWORD. */
export const APP_DB_PASSWORD_MIN_LENGTH = 16;

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

export function loadAppRole(env: NodeJS.ProcessEnv = process.env): AppRole {
  const user = env.APP_DB_USER || APP_DB_USER_DEFAULT;
  if (!IDENTIFIER.test(user)) {
    throw new Error(t("db:badAppUser", { user }));
  }
  let password = env.APP_DB_PASSWORD;
  if (!password) {
    if (env.NODE_ENV === "production") throw new Error(t("db:appPasswordRequired"));
    password = APP_DB_PASSWORD_DEFAULT;
  }
  if (env.NODE_ENV === "production" && password.length < APP_DB_PASSWORD_MIN_LENGTH) {
    throw new Error(t("db:appPasswordShort", { min: APP_DB_PASSWORD_MIN_LENGTH }));
  }
  return { user, password };
}

/** The owner's URL with the app role's credentials instead (same host, port and database). */
export function appRoleUrl(ownerUrl: string, role: AppRole): string {
  const url = new URL(ownerUrl);
  url.username = encodeURIComponent(role.user);
  url.password = encodeURIComponent(role.password);
  return url.toString();
}

/** A SQL string literal (for DDL, which takes no parameters). */
export function sqlLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
