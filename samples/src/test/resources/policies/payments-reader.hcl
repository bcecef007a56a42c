path "kvv2/data/payments/*" {
  capabilities = ["read"]
}
