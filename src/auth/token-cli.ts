import { loadJwtConfig } from "./jwt.config";
import { signToken } from "./token";
import { ALL_ROLES, Role } from "./auth.types";

const USAGE = `Mints a development token (same JWT settings as npm start: JWT_SECRET, or .data/dev-jwt-secret).

  npm run token -- --unit 22 --role PLANNER
  npm run token -- --unit VN --role VIEWER --role ADMIN --sub alice --hours 2

  --unit   GSO code of the caller's org unit (VN for the ministry)       required
  --role   VIEWER, REPORTER, PLANNER or ADMIN; repeat or comma-separate   default VIEWER
  --sub    subject (user id)                                              default dev-<unit>
  --hours  lifetime in hours (1-24)                                       default 8`;

export function parseTokenArgs(argv: string[]): { unit: string; roles: Role[]; sub: string; hours: number } {
  const values: Record<string, string[]> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.indexOf("=");
    const [name, inline] = arg.startsWith("--") && eq > 0 ? [arg.slice(2, eq), arg.slice(eq + 1)] : [arg.replace(/^--/, ""), undefined];
    if (!arg.startsWith("--")) throw new Error(`Unexpected argument "${arg}".`);
    const value = inline ?? argv[++i];
    if (value === undefined) throw new Error(`--${name} needs a value.`);
    (values[name] ??= []).push(value);
  }
  for (const name of Object.keys(values)) {
    if (!["unit", "role", "sub", "hours"].includes(name)) throw new Error(`Unknown option --${name}.`);
  }
  const unit = values.unit?.[0]?.trim().toUpperCase();
  if (!unit || !/^[0-9A-Z]{2,5}$/.test(unit)) throw new Error("--unit must be a GSO code such as 22 or 193, or VN.");
  const roles = (values.role ?? ["VIEWER"]).flatMap((r) => r.split(",")).map((r) => r.trim().toUpperCase());
  const bad = roles.filter((r) => !ALL_ROLES.includes(r as Role));
  if (bad.length) throw new Error(`Unknown role ${bad.join(", ")}: use ${ALL_ROLES.join(", ")}.`);
  const hours = Number(values.hours?.[0] ?? 8);
  if (!Number.isInteger(hours) || hours < 1 || hours > 24) throw new Error("--hours must be a whole number from 1 to 24.");
  return { unit, roles: [...new Set(roles)] as Role[], sub: values.sub?.[0] ?? `dev-${unit}`, hours };
}

function main() {
  const argv = process.argv.slice(2);
  if (argv.length === 0 || argv.includes("--help") || argv.includes("-h")) {
    console.error(USAGE);
    process.exit(argv.length === 0 ? 1 : 0);
  }
  try {
    const args = parseTokenArgs(argv);
    const config = loadJwtConfig();
    process.stdout.write(`${signToken(config, { sub: args.sub, unit: args.unit, roles: args.roles }, args.hours * 3600)}\n`);
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    process.exit(1);
  }
}

if (require.main === module) main();
