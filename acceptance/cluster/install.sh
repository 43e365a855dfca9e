# shellcheck shell=bash
# Provisioning the booted hosts with hai-install, as an integrator would:
# control on hai-1, workers on the others, the control node's cluster token
# and TLS certificate handed to the workers as install inputs ([tls] mode
# "provided" with the control node's CA, so the workers' daemons trust the
# portal's certificate).
# Sourced after lib.sh.

# Simulated accelerators per host (profiles/nodes), so the scheduler has
# devices to place the demo on; a cluster of more hosts repeats the last.
HAI_NODE_PROFILES=(ascend-910b3-x8 metax-c500-x8 hygon-k100-x4)
# Where a worker finds what it is given from the control node.
HAI_JOIN_DIR=/root/hai-join

host_role() { if (($1 == 1)); then echo control; else echo worker; fi; }

host_units() {
  if [[ "$(host_role "$1")" == control ]]; then
    echo hai-portal hai-scheduler hai-agent hai-gateway
  else
    echo hai-agent hai-gateway
  fi
}

host_profile() {
  local i=$(($1 - 1)) last=$((${#HAI_NODE_PROFILES[@]} - 1))
  ((i > last)) && i=$last
  echo "${HAI_NODE_PROFILES[$i]}"
}

# install_config N: host N's /etc/hai/install.toml (the keys of docs/hai-install.md).
install_config() {
  local n=$1 m addresses=()
  for m in $(host_numbers); do addresses+=("\"$(host_addr "$m")\""); done
  local joined
  joined=$(IFS=,; echo "${addresses[*]}")
  cat << EOF
# Written by the cluster harness (acceptance/cluster) for $(host_name "$n").
[node]
name = "$(host_name "$n")"
role = "$(host_role "$n")"
address = "$(host_addr "$n")"

[cluster]
control_address = "$(host_addr 1)"
addresses = [${joined//,/, }]
EOF
  if [[ "$(host_role "$n")" == worker ]]; then
    cat << EOF
token_file = "$HAI_JOIN_DIR/cluster-token"

[tls]
mode = "provided"
cert_file = "$HAI_JOIN_DIR/hai.crt"
key_file = "$HAI_JOIN_DIR/hai.key"
ca_file = "$HAI_JOIN_DIR/ca.crt"
EOF
  else
    printf '\n[tls]\nmode = "self-signed"\n'
  fi
  cat << EOF

[agent]
profile = "$(host_profile "$n")"
labels = ["rack=r$n"]
EOF
}

write_install_configs() {
  local n root
  for n in $(host_numbers); do
    root=$(host_root "$n")
    mkdir -p "$root/etc/hai"
    install_config "$n" > "$root/etc/hai/install.toml"
  done
}

# run_install N: hai-install inside host N (output in $(host_dir N)/install.log).
run_install() {
  local n=$1 log
  log="$(host_dir "$n")/install.log"
  if interruptible host_exec "$n" timeout "${HAI_INSTALL_LIMIT:-600}" \
      hai-install --config /etc/hai/install.toml > "$log" 2>&1; then
    hai_log "hai-install on $(host_name "$n"): done"
  else
    sed "s/^/  $(host_name "$n"): /" "$log" >&2
    hai_fail "hai-install on $(host_name "$n") failed (log above)"
  fi
}

# hand_over N: the control node's token, certificate, key and CA (for the
# self-signed certificate: the certificate itself) copied into worker N's
# join directory, straight from one container to the other.
hand_over() {
  local n=$1 file from
  host_exec "$n" install -d -m 0700 "$HAI_JOIN_DIR" || return 1
  for file in /var/lib/hai/cluster-token /etc/hai/tls/hai.crt /etc/hai/tls/hai.key \
              /etc/hai/tls/ca.crt; do
    from=$(basename "$file")
    host_exec 1 cat "$file" |
      host_exec "$n" sh -c "umask 077 && cat > '$HAI_JOIN_DIR/$from'" || {
      hai_fail "could not copy $file from $(host_name 1) to $(host_name "$n")"
      return 1
    }
  done
}

# install_cluster: the control node first (it makes the token and the
# certificate), then every worker at once.
install_cluster() {
  run_install 1 || return 1
  local n pids=() rc=0
  for n in $(host_numbers); do
    ((n == 1)) && continue
    hand_over "$n" || return 1
    run_install "$n" &
    pids+=($!)
  done
  for n in "${pids[@]}"; do wait "$n" || rc=1; done
  return "$rc"
}
