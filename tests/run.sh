#!/usr/bin/env bash
# Runs every test of the solution. Installs and starts what the tests need (Azurite, the Azure
# Storage emulator, for the cloud report store and the Functions tests; Debian's Chromium, to render
# the HTML report), stops Azurite afterwards, and ends with one line "N passed, N failed".
set -uo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
work="$(mktemp -d /tmp/compliance-tests.XXXXXX)"
azurite_pid=""

cleanup() {
  if [[ -n "$azurite_pid" ]] && kill -0 "$azurite_pid" 2>/dev/null; then
    kill "$azurite_pid" 2>/dev/null
    wait "$azurite_pid" 2>/dev/null
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# --- Azurite: installed locally under .tools/ (npm), started on loopback with free ports ------------
tools="$repo/.tools"
if [[ ! -x "$tools/node_modules/.bin/azurite" ]]; then
  echo "Installing azurite@3.35.0 into $tools …" >&2
  mkdir -p "$tools"
  npm install --prefix "$tools" --no-audit --no-fund --loglevel=error azurite@3.35.0 >&2 || { echo "0 passed, 1 failed (could not install Azurite)"; exit 1; }
fi

# --- Chromium: the HTML report is rendered headless, as a person's browser opens it (Debian's package) ------
if [[ -z "${COMPLIANCE_CHROMIUM:-}" ]] && ! command -v chromium >/dev/null 2>&1; then
  echo "Installing chromium (apt-get) …" >&2
  sudo_=""; [[ $(id -u) -ne 0 ]] && command -v sudo >/dev/null 2>&1 && sudo_="sudo"
  { $sudo_ apt-get install -y --no-install-recommends chromium >&2 || { $sudo_ apt-get update >&2 && $sudo_ apt-get install -y --no-install-recommends chromium >&2; }; } \
    || echo "warning: could not install chromium; the HTML report tests will fail (set COMPLIANCE_CHROMIUM to a Chromium binary)" >&2
fi

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
blob_port=$(free_port); queue_port=$(free_port); table_port=$(free_port)
"$tools/node_modules/.bin/azurite" --silent --skipApiVersionCheck --disableTelemetry --loose \
  --location "$work/azurite" --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 \
  --blobPort "$blob_port" --queuePort "$queue_port" --tablePort "$table_port" >"$work/azurite.log" 2>&1 &
azurite_pid=$!
for _ in $(seq 1 100); do
  (echo >"/dev/tcp/127.0.0.1/$table_port") 2>/dev/null && (echo >"/dev/tcp/127.0.0.1/$blob_port") 2>/dev/null && (echo >"/dev/tcp/127.0.0.1/$queue_port") 2>/dev/null && break
  sleep 0.1
done
account="devstoreaccount1"
key="Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
export COMPLIANCE_TEST_STORAGE="DefaultEndpointsProtocol=http;AccountName=$account;AccountKey=$key;BlobEndpoint=http://127.0.0.1:$blob_port/$account;QueueEndpoint=http://127.0.0.1:$queue_port/$account;TableEndpoint=http://127.0.0.1:$table_port/$account;"

# --- Tests -----------------------------------------------------------------------------------------
log="$work/test.log"
dotnet test "$repo/Compliance.sln" --nologo 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# dotnet test prints one summary per test project, either "Passed!  - Failed: 0, Passed: 57, …" or
# (with the normal-verbosity console logger) "Total tests: 57" followed by "     Passed: 57" / "     Failed: 0".
read -r passed failed < <(awk '
  /^(Passed|Failed)!/ { if (match($0, /Failed: *[0-9]+/)) f += substr($0, RSTART + 7, RLENGTH - 7) + 0
                        if (match($0, /Passed: *[0-9]+/)) p += substr($0, RSTART + 7, RLENGTH - 7) + 0; next }
  /^Total tests:/     { summary = 1; next }
  summary && /^ +Passed: *[0-9]+ *$/ { p += $2; next }
  summary && /^ +Failed: *[0-9]+ *$/ { f += $2; next }
  summary && !/^ +(Skipped|Total time):/ { summary = 0 }
  END { print p + 0, f + 0 }' "$log")
if [[ $status -ne 0 && $failed -eq 0 ]]; then
  # The build or a test host failed before any test could report.
  failed=1
fi
echo "$passed passed, $failed failed"
exit $status
