#!/bin/sh
# Entrypoint of the vault-k8s-trust/vault-standin image (built by .ci/build-standin-images).
# Behaves like the official image's for what Testcontainers' VaultContainer uses:
#   server -dev            dev mode, listening on ${VAULT_DEV_LISTEN_ADDRESS:-0.0.0.0:8200}, root token
#                          $VAULT_DEV_ROOT_TOKEN_ID when set (Vault picks a random one otherwise)
#   server [-config=...]   a real server; without -config it reads /vault/config
#   -flag ... | <vault subcommand> ...   runs `vault ...`;  any other program (sh, ...) runs as given
# $VAULT_LOCAL_CONFIG (HCL or JSON) is written to /vault/config/local.json first.
# Runs as root and never calls setcap: dev mode does not mlock, a real server needs disable_mlock.
set -e
ulimit -c 0 2>/dev/null || true

config_dir=/vault/config
if [ -n "${VAULT_LOCAL_CONFIG:-}" ]; then
  printf '%s\n' "$VAULT_LOCAL_CONFIG" >"$config_dir/local.json"
fi

case "${1:-}" in
  -*) set -- vault "$@" ;;
esac

if [ "${1:-}" = server ]; then
  shift
  dev=no
  has_config=no
  for arg in "$@"; do
    case "$arg" in
      -dev | --dev | -dev=true | --dev=true) dev=yes ;;
      -config | --config | -config=* | --config=*) has_config=yes ;;
    esac
  done
  if [ "$dev" = yes ]; then
    if [ "$has_config" = no ] && [ -n "$(ls -A "$config_dir" 2>/dev/null)" ]; then
      set -- "-config=$config_dir" "$@"
    fi
    # Vault reads VAULT_DEV_ROOT_TOKEN_ID itself: the token stays out of argv (and out of ps).
    set -- vault server "-dev-listen-address=${VAULT_DEV_LISTEN_ADDRESS:-0.0.0.0:8200}" "$@"
  else
    if [ "$has_config" = no ]; then
      set -- "-config=$config_dir" "$@"
    fi
    set -- vault server "$@"
  fi
elif [ -n "${1:-}" ] && [ "$1" != vault ] && ! command -v "$1" >/dev/null 2>&1; then
  set -- vault "$@"
fi

exec "$@"
