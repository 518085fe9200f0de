#!/usr/bin/env bash
# Runs every test of the solution. Installs and starts what the tests need (Azurite, the Azure
# Storage emulator, for the cloud report store and the Functions tests), stops it afterwards, and
# ends with one line "N passed, N failed".
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
dotnet test "$repo/Compliance.sln" --nologo --logger "console;verbosity=normal" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# dotnet test prints one summary per test project: with the console logger at normal verbosity a block
# "Total tests: N / Passed: N / Failed: N", otherwise "Passed!  - Failed: 0, Passed: 57, …" / "Failed! - …".
read -r passed failed < <(awk '
  /^ +Passed: +[0-9]+ *$/ { bp += $2; blocks = 1 }
  /^ +Failed: +[0-9]+ *$/ { bf += $2; blocks = 1 }
  /^(Passed|Failed)!/ {
    if (match($0, /Passed: *[0-9]+/)) { s = substr($0, RSTART, RLENGTH); sub(/[^0-9]+/, "", s); lp += s }
    if (match($0, /Failed: *[0-9]+/)) { s = substr($0, RSTART, RLENGTH); sub(/[^0-9]+/, "", s); lf += s }
  }
  END { if (blocks) print bp + 0, bf + 0; else print lp + 0, lf + 0 }' "$log")
if [[ $status -ne 0 && $failed -eq 0 ]]; then
  # The build or a test host failed before any test could report.
  failed=1
fi
echo "$passed passed, $failed failed"
exit $status
