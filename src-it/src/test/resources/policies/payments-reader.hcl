# Read-only access for the payments team's workloads.
path "secrets/data/payments/*" {
  capabilities = ["read"]
}

path "secrets/metadata/payments/*" {
  capabilities = ["list"]
}
