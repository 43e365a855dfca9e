# shellcheck shell=bash
# What "the cluster works" means, checked from outside as a person or a
# program would see it: units active on every host, every agent registered,
# the admin's sign-in over HTTPS, the demo model deployed and answering a
# chat through the gateway of every host.
# Sourced after lib.sh and install.sh.

HAI_CA="" HAI_TOKEN="" HAI_API_KEY=""
HAI_CHECKS_PASSED=() HAI_CHECKS_FAILED=()

check_result() {  # check_result NAME STATUS
  if (($2 == 0)); then
    hai_log "check $1: ok"
    HAI_CHECKS_PASSED+=("$1")
  else
    hai_log "check $1: FAILED"
    HAI_CHECKS_FAILED+=("$1")
  fi
  return "$2"
}

# json_get PATH < JSON: the value at a dotted path (list indices as numbers);
# strings print bare, anything else as JSON; a missing path fails.
json_get() {
  python3 -c '
import json, sys
value = json.load(sys.stdin)
for part in sys.argv[1].split(".") if sys.argv[1] else []:
    try:
        value = value[int(part)] if isinstance(value, list) else value[part]
    except (KeyError, IndexError, ValueError, TypeError):
        sys.exit(1)
print(value if isinstance(value, str) else json.dumps(value))' "$1"
}

# json_items FIELD < JSON: FIELD of every element of .items, one a line.
json_items() {
  python3 -c '
import json, sys
for item in json.load(sys.stdin).get("items", []):
    print(item.get(sys.argv[1], ""))' "$1"
}

# https_call METHOD URL [BODY [BEARER]]: the answer's body on stdout; fails
# (printing status and body) unless the status is 2xx. Only the namespaces'
# addresses are ever asked, with the cluster's CA, never through a proxy.
https_call() {
  local method=$1 url=$2 body=${3:-} bearer=${4:-} out code
  local args=(--silent --show-error --noproxy '*' --max-time 60 --cacert "$HAI_CA"
              -X "$method" -H 'Content-Type: application/json' -w '\n%{http_code}')
  [[ -n "$bearer" ]] && args+=(-H "Authorization: Bearer $bearer")
  [[ -n "$body" ]] && args+=(--data-binary "$body")
  out=$(curl "${args[@]}" "$url") || { hai_log "$method $url: no answer"; return 1; }
  code=${out##*$'\n'}
  out=${out%$'\n'*}
  if [[ "$code" != 2?? ]]; then
    hai_log "$method $url answered $code: $out"
    return 1
  fi
  printf '%s\n' "$out"
}

portal_url() { printf 'https://%s:8080' "$(host_addr 1)"; }

# ---- the checks -------------------------------------------------------------

units_active() {
  local n=$1 unit
  for unit in hai.target $(host_units "$n"); do
    [[ "$(host_exec "$n" systemctl is-active "$unit" 2> /dev/null)" == active ]] || return 1
  done
}

check_units() {
  local n=$1 rc=0 units
  if ! wait_for "${HAI_UNITS_LIMIT:-120}" "$(host_name "$n")'s units to be active" units_active "$n"; then
    read -ra units <<< "$(host_units "$n")"
    host_exec "$n" systemctl --no-pager status hai.target "${units[@]}" >&2 || true
    rc=1
  fi
  check_result "units-$(host_name "$n")" "$rc"
}

check_verify() {
  local n=$1 rc=0 log
  log="$(host_dir "$n")/verify.log"
  host_exec "$n" timeout 120 hai-install --config /etc/hai/install.toml --verify > "$log" 2>&1 || rc=$?
  ((rc == 0)) || sed "s/^/  $(host_name "$n"): /" "$log" >&2
  check_result "verify-$(host_name "$n")" "$rc"
}

# The admin signs in with the first-start password over HTTPS, trusting only
# the cluster's CA (copied out of the control node).
check_login() {
  local rc=0 password answer
  HAI_CA="$HAI_WORK/run/ca.crt"
  host_exec 1 cat /etc/hai/tls/ca.crt > "$HAI_CA" || rc=1
  password=$(host_exec 1 cat /var/lib/hai/admin-password) || rc=1
  if ((rc == 0)); then
    answer=$(https_call POST "$(portal_url)/api/v1/auth/login" "$(python3 -c '
import json, sys
print(json.dumps({"username": "admin", "password": sys.argv[1]}))' "$password")") &&
      HAI_TOKEN=$(json_get token <<< "$answer") || rc=1
  fi
  check_result login "$rc"
}

nodes_ready() {
  local want=$1 got
  got=$(https_call GET "$(portal_url)/api/v1/nodes?status=Ready" "" "$HAI_TOKEN" |
        json_items name | sort | tr '\n' ' ') || return 1
  [[ "$got" == "$want" ]]
}

check_agents() {
  local want n rc=0
  want=$(for n in $(host_numbers); do host_name "$n"; echo; done | sort | tr '\n' ' ')
  wait_for "${HAI_AGENTS_LIMIT:-90}" "agents $want to be Ready at the scheduler" \
    nodes_ready "$want" || rc=1
  check_result agents "$rc"
}

# The demo model deployed as any model is, by `haictl demo` on the control
# node (demo weights, organisation, service, deployment, a Ready replica)
# with its defaults: the portal at https://127.0.0.1:8080, trusted through
# /etc/hai/tls/ca.crt, as an operator would run it.
check_demo() {
  local rc=0 log="$HAI_WORK/run/demo.log"
  interruptible host_exec 1 timeout 400 haictl demo --timeout 300 > "$log" 2>&1 || rc=$?
  ((rc == 0)) || sed 's/^/  haictl demo: /' "$log" >&2
  check_result demo "$rc"
}

# An API key for the demo organisation, made through the portal's API (the
# admin joins the organisation to hold one).
make_api_key() {
  local orgs org_id me admin_id key
  orgs=$(https_call GET "$(portal_url)/api/v1/orgs?limit=500" "" "$HAI_TOKEN") || return 1
  org_id=$(python3 -c '
import json, sys
print(next(o["id"] for o in json.load(sys.stdin)["items"] if o["name"] == "demo"))' <<< "$orgs") ||
    { hai_log "no organisation 'demo'"; return 1; }
  me=$(https_call GET "$(portal_url)/api/v1/auth/me" "" "$HAI_TOKEN") || return 1
  admin_id=$(json_get user.id <<< "$me") || return 1
  # Answers 409 when the admin is a member already (a second `check`).
  https_call POST "$(portal_url)/api/v1/orgs/$org_id/members" \
    "{\"user_id\":$admin_id,\"role\":\"org_admin\"}" "$HAI_TOKEN" > /dev/null 2>&1 || true
  key=$(https_call POST "$(portal_url)/api/v1/api-keys" \
    "{\"org_id\":$org_id,\"name\":\"cluster harness\",\"scopes\":[\"inference\"]}" "$HAI_TOKEN") ||
    return 1
  HAI_API_KEY=$(json_get key <<< "$key")
}

# One chat completion through host N's gateway: 200 with 4 completion tokens.
chat_answers() {
  local n=$1 answer
  answer=$(https_call POST "https://$(host_addr "$n"):8000/v1/chat/completions" \
    '{"model":"demo","messages":[{"role":"user","content":"你好"}],"max_tokens":4}' \
    "$HAI_API_KEY" 2> "$HAI_WORK/run/chat-$n.err") || return 1
  [[ "$(json_get usage.completion_tokens <<< "$answer")" == 4 ]] || {
    hai_log "unexpected answer from $(host_name "$n")'s gateway: $answer"
    return 1
  }
}

check_chat() {
  local n=$1 rc=0
  # A gateway learns of the replica from the scheduler's routing table.
  if ! wait_for "${HAI_CHAT_LIMIT:-90}" "$(host_name "$n")'s gateway to answer a chat" \
      chat_answers "$n"; then
    cat "$HAI_WORK/run/chat-$n.err" >&2 || true
    rc=1
  fi
  check_result "chat-$(host_name "$n")" "$rc"
}

# run_checks: every check in order; one a later check depends on ends the
# sequence. Returns the number of failed checks (0 = pass).
run_checks() {
  HAI_CHECKS_PASSED=() HAI_CHECKS_FAILED=()
  local n
  for n in $(host_numbers); do check_units "$n" || true; done
  for n in $(host_numbers); do check_verify "$n" || true; done
  if check_login; then
    check_agents || true
    if check_demo; then
      local rc=0
      make_api_key || rc=1
      if check_result api-key "$rc"; then
        for n in $(host_numbers); do check_chat "$n" || true; done
      fi
    fi
  fi
  return "${#HAI_CHECKS_FAILED[@]}"
}
