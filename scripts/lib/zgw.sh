# The local ZGW test server (scripts/lib/zgw-test-server.py): started in the background and the
# app's KEUKENTAFEL_ZGW_* pointed at it, for scripts/run (no zaaksysteem configured) and the
# browser tests. Sourced; needs env.sh. `zgw_start LOGFILE` sets ZGW_PID and ZGW_BASE.

zgw_start() {
  local logfile=$1 port
  port=$(free_port)
  .tools/zgw/bin/python scripts/lib/zgw-test-server.py --specs server/zgw \
    --client-id keukentafel --secret "lokale testserver, geen echt zaaksysteem" --port "$port" \
    >"$logfile" 2>&1 &
  ZGW_PID=$!
  ZGW_BASE="http://127.0.0.1:$port"
  wait_for_url "$ZGW_BASE/_test/state" 30
  export KEUKENTAFEL_ZGW_ZAKEN_URL="$ZGW_BASE/zaken/api/v1"
  export KEUKENTAFEL_ZGW_DOCUMENTEN_URL="$ZGW_BASE/documenten/api/v1"
  export KEUKENTAFEL_ZGW_CATALOGI_URL="$ZGW_BASE/catalogi/api/v1"
  export KEUKENTAFEL_ZGW_CATALOGUS="$ZGW_BASE/catalogi/api/v1/catalogussen/6d2a9e0a-1b0c-4c8e-9b1e-000000000001"
  export KEUKENTAFEL_ZGW_ZAAKTYPE="WMO-MELDING"
  export KEUKENTAFEL_ZGW_RSIN="002220647"
  export KEUKENTAFEL_ZGW_CLIENT_ID="keukentafel"
  export KEUKENTAFEL_ZGW_SECRET="lokale testserver, geen echt zaaksysteem"
  export KEUKENTAFEL_ZGW_INTERVAL_SECONDS="${KEUKENTAFEL_ZGW_INTERVAL_SECONDS:-5}"
}
