# shellcheck shell=bash
# What bench/load and bench/cluster share: the accounts the load signs in with and one wrk run.
# Expects $server (the server binary, DATABASE_URL set for its commands), $dir, $seconds,
# $password, $secret, $protocol and $schema.

# load_accounts PREFIX TEAMS: 16 coordinators spread over TEAMS teams.
load_accounts() {
  local prefix=$1 teams=$2
  for t in $(seq 0 $((teams - 1))); do
    $server create-team --id "$prefix$t" --name "Load $prefix$t" --municipality lindeveen >/dev/null
  done
  for i in $(seq 0 15); do
    KEUKENTAFEL_PASSWORD="$password" $server create-account --email "$prefix-load$i@bench.example" \
      --name "load $i" --role coordinator --team "$prefix$((i % teams))" --second-factor "$secret" >/dev/null
  done
}

# load_run LABEL PREFIX BASE: signs the accounts in at BASE, then a push run and a pull run,
# printing wrk's summary lines. Each run numbers its records apart (RUN).
load_runs=0
load_run() {
  local label=$1 prefix=$2 base=$3 mode
  load_runs=$((load_runs + 1))
  python3 bench/load-signin.py "$base" "$password" "$secret" 16 "$prefix" >"$dir/$prefix.sessions"
  for mode in push pull; do
    echo "== $label, $mode: 16 connections, ${seconds} s"
    SESSIONS="$dir/$prefix.sessions" MODE=$mode RUN=$load_runs PROTOCOL=$protocol SCHEMA=$schema \
      wrk -t16 -c16 -d"${seconds}s" --latency -s bench/load.lua "$base" 2>"$dir/$prefix.$mode.err" |
      grep -E "Requests/sec|Latency|50%|99%|requests in|Non-2xx"
    if [ -s "$dir/$prefix.$mode.err" ]; then
      echo "   refused: $(wc -l <"$dir/$prefix.$mode.err") (first: $(head -c 200 "$dir/$prefix.$mode.err"))"
    fi
  done
}
