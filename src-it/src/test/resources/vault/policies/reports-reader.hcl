path "kvv2/data/reports/*" {
  capabilities = ["read"]
}

path "kvv2/metadata/reports/*" {
  capabilities = ["list"]
}
