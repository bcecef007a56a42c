//go:build tools

// Package tools pins rancher/local-path-provisioner (the dynamic provisioner behind k3s's default StorageClass
// local-path) for the node stand-in image; its main package is built with `go build
// github.com/rancher/local-path-provisioner` from this module, so the versions in go.sum are the ones built.
package tools

import _ "github.com/rancher/local-path-provisioner"
