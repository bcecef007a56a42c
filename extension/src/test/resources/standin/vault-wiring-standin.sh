#!/bin/sh
# Stand-in for the Vault container's network wiring only (see Dockerfile.vault). Not Vault: it prints its command
# line and answers GET /v1/sys/health on 8200 with 200, which is all the container placement's start-up waits for.
echo "standin args: $*"
mkdir -p /www/v1/sys
echo '{"standin":"not vault"}' >/www/v1/sys/health
exec httpd -f -p 8200 -h /www
