path "kvv2/data/apps/*" {
    capabilities = ["read"]
}
