# orders-api: its own configuration, its database credentials, encryption with its own key. Nothing else.

path "kvv2/data/orders/*" {
  capabilities = ["read"]
}

path "kvv2/metadata/orders/*" {
  capabilities = ["list"]
}

path "database/creds/orders-api" {
  capabilities = ["read"]
}

path "transit/encrypt/orders" {
  capabilities = ["update"]
}
