package io.github.vaultk8strust;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;
/** A Vault ACL policy; {@code origin} says where the HCL came from, for error messages. */
@API(status = EXPERIMENTAL, since = "0.1")
public record PolicySpec(String name, String hcl, String origin) {
}
