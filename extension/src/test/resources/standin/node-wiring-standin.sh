#!/bin/sh
# Stand-in for the k3s node's container wiring only (see Dockerfile). Not k3s.
echo "standin args: $*"
for f in /var/lib/rancher/k3s/agent/images/*; do
  [ -e "$f" ] && echo "side-loaded: $(basename "$f") $(wc -c <"$f") bytes"
done
grep CapEff /proc/self/status | sed 's/^/standin /'
mkdir -p /etc/rancher/k3s
cat >/etc/rancher/k3s/k3s.yaml <<'YAML'
apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: c3RhbmQtaW4=
    server: https://127.0.0.1:6443
  name: default
contexts:
- context:
    cluster: default
    user: default
  name: default
current-context: default
kind: Config
preferences: {}
users:
- name: default
  user:
    client-certificate-data: c3RhbmQtaW4=
    client-key-data: c3RhbmQtaW4=
YAML
(while true; do echo "stand-in api server port" | nc -l -p 6443; done) &
(while true; do echo "stand-in vault node port" | nc -l -p 30820; done) &
sleep 0.3
echo "Node controller sync successful (printed by a stand-in: this is not k3s)"
exec sleep 3600
