package io.github.vaultk8strust;

/** A Vault ACL policy; {@code origin} says where the HCL came from, for error messages. */
public record PolicySpec(String name, String hcl, String origin) {
}
