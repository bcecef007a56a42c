// Command vault is the upstream HashiCorp Vault server and CLI, built from its pinned Go module.
package main

import (
	"os"

	"github.com/hashicorp/vault/command"
)

func main() {
	os.Exit(command.Run(os.Args[1:]))
}
