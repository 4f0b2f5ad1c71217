#!/usr/bin/env bash
# The production start on a fresh clone: `npm ci`, `npm run build`, then `npm ci --omit=dev` (no
# TypeScript, no test tools left) and `npm run start:prod` (plain node on dist/) against the machine's
# PostgreSQL, with production settings. It must serve GraphQL and the dashboard, answer a minted token,
# and stop cleanly on SIGTERM. Prints "prod-start: ok" or "prod-start: FAILED (...)"; exits 0 or 1.
set -uo pipefail
src="$(cd "$(dirname "$0")/.." && pwd)"
admin_url="${PROD_CHECK_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
work="$(mktemp -d)"
db="vnp_prodcheck_$$"
role="vnplans_prodcheck_$$"
pid=""
fail() { echo "prod-start: FAILED ($1)"; [ -f "$work/server.log" ] && tail -n 30 "$work/server.log"; cleanup; exit 1; }
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null
  psql "$admin_url" -qc "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1
  psql "$admin_url" -qc "DROP ROLE IF EXISTS $role" >/dev/null 2>&1
  rm -rf "$work"
}

git clone -q "$src" "$work/app" || fail "clone"
cd "$work/app"
npm ci --no-audit --no-fund --loglevel=error >/dev/null 2>&1 || fail "npm ci"
npm run build >/dev/null 2>&1 || fail "npm run build"
npm ci --omit=dev --no-audit --no-fund --loglevel=error >/dev/null 2>&1 || fail "npm ci --omit=dev"
[ -e node_modules/jest ] && fail "dev dependencies are still installed"
psql "$admin_url" -qc "CREATE DATABASE $db" >/dev/null || fail "create database"

db_url="${admin_url%/*}/$db"
port=$(node -e 's=require("net").createServer().listen(0,()=>{console.log(s.address().port);s.close()})')
export NODE_ENV=production DATABASE_URL="$db_url" PORT="$port" JWT_SECRET="$(node -e 'console.log(require("crypto").randomBytes(32).toString("hex"))')" \
  APP_DB_USER="$role" APP_DB_PASSWORD="prod-check-password-$$" METRICS_TOKEN="prod-check-metrics"
npm run start:prod >"$work/server.log" 2>&1 &
pid=$!
for _ in $(seq 1 120); do
  grep -q "GraphQL API ready at" "$work/server.log" && break
  kill -0 "$pid" 2>/dev/null || fail "the server exited before it was ready"
  sleep 1
done
grep -q "GraphQL API ready at" "$work/server.log" || fail "not ready within 120 s"
grep -q "Dashboard: http://localhost:$port/dashboard/" "$work/server.log" || fail "no dashboard address printed"

token=$(node dist/src/auth/token-cli.js --unit VN --role VIEWER) || fail "token"
node -e '
const [base, token] = process.argv.slice(1);
(async () => {
  const r = await fetch(`${base}/graphql`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: "{ orgUnit(code: \"01\") { name } }" }) });
  const body = await r.json();
  if (body.data?.orgUnit?.name !== "Thành phố Hà Nội") throw new Error("graphql: " + JSON.stringify(body));
  const root = await fetch(base + "/", { redirect: "manual" });
  const dash = await fetch(base + "/dashboard/");
  if (!dash.ok || !(await dash.text()).includes("<html")) throw new Error("dashboard: " + dash.status);
  if (root.status < 300 || root.status > 399 || !String(root.headers.get("location")).includes("/dashboard")) throw new Error("/ does not lead to the dashboard: " + root.status);
})().catch((e) => { console.error(e.message); process.exit(1); });
' "http://127.0.0.1:$port" "$token" || fail "requests"

kill -TERM "$pid"
wait "$pid"; code=$?
pid=""
[ "$code" -eq 0 ] || fail "exit code $code after SIGTERM"
echo "prod-start: ok"
cleanup
