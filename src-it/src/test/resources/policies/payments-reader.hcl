# Read-only access for the payments team's workloads.
path "kvv2/data/payments/*" {
  capabilities = ["read"]
}

path "kvv2/metadata/payments/*" {
  capabilities = ["list"]
}
