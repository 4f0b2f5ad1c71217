import { loadConfig, serverStartProblems, type AppConfig } from "./config";
import { loadJwtConfig, type JwtConfig } from "./auth/jwt.config";
import { loadAppRole } from "./db/app-role";

export interface StartSettings {
  config: AppConfig;
  jwt: JwtConfig;
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Every setting the server needs, checked before anything touches the database: the problems of all
 * groups at once (a production start missing DATABASE_URL, JWT_SECRET and APP_DB_PASSWORD names the three),
 * so an operator fixes the environment in one go.
 */
export function checkStartSettings(env: NodeJS.ProcessEnv = process.env): { settings?: StartSettings; problems: string[] } {
  const problems: string[] = [];
  let config: AppConfig | undefined;
  let jwt: JwtConfig | undefined;
  try {
    config = loadConfig(env);
    problems.push(...serverStartProblems(config));
  } catch (error) {
    problems.push(messageOf(error));
  }
  try {
    jwt = loadJwtConfig(env);
  } catch (error) {
    problems.push(messageOf(error));
  }
  try {
    loadAppRole(env);
  } catch (error) {
    problems.push(messageOf(error));
  }
  return problems.length || !config || !jwt ? { problems } : { settings: { config, jwt }, problems };
}
