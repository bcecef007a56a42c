package io.github.vaultk8strust.core;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.Iterator;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The parameters a role path accepts, as the running Vault (or OpenBao) itself describes them: the OpenAPI document
 * that {@code GET auth/<path>/role/<name>?help=1} answers. Asking the server, not a list kept here, keeps the check
 * right for every version and flavour: a parameter one release adds or deprecates is known the day it ships.
 *
 * @param path the role path without the name, e.g. {@code auth/kubernetes/role}, for messages
 * @param names the body parameters of a write
 * @param deprecated those of them Vault marks deprecated (still accepted)
 * @param pathParameters the parameters taken from the URL ({@code name}): Vault accepts them in the body too, and the
 *                       URL's value wins
 */
record RoleParameters(String path, Set<String> names, Set<String> deprecated, Set<String> pathParameters) {

    RoleParameters {
        names = Collections.unmodifiableSet(new TreeSet<>(names));
        deprecated = Collections.unmodifiableSet(new TreeSet<>(deprecated));
        pathParameters = Collections.unmodifiableSet(new TreeSet<>(pathParameters));
    }

    /** Return whether a write accepts the key (in the body, or as one of the URL's parameters). */
    boolean accepts(String key) {
        return names.contains(key) || pathParameters.contains(key);
    }

    /**
     * Ask Vault which parameters {@code auth/<mount>/role/<role>} accepts; empty when it does not say (an older
     * server, a help answer in another shape), and then only Vault's own warnings can tell.
     */
    static Optional<RoleParameters> read(VaultApi vault, String mount, String role) {
        VaultApi.Answer help = vault.read("auth/" + mount + "/role/" + role + "?help=1");
        return help.ok() ? parse("auth/" + mount + "/role", help.body()) : Optional.empty();
    }

    /** Read the parameters from a help answer: {@code openapi.paths.<the one path>}, its write's request schema. */
    static Optional<RoleParameters> parse(String path, JsonNode help) {
        JsonNode openapi = help.path("openapi");
        Iterator<JsonNode> paths = openapi.path("paths").elements();
        if (!paths.hasNext()) {
            return Optional.empty();
        }
        JsonNode operations = paths.next();
        Set<String> pathParameters = new TreeSet<>();
        operations.path("parameters").forEach(p -> {
            if (p.path("in").asText().equals("path")) {
                pathParameters.add(p.path("name").asText());
            }
        });
        JsonNode schema = operations.path("post").path("requestBody").path("content").path("application/json")
                .path("schema");
        String ref = schema.path("$ref").asText("");
        if (ref.startsWith("#/components/schemas/")) {
            schema = openapi.path("components").path("schemas").path(ref.substring("#/components/schemas/".length()));
        }
        JsonNode properties = schema.path("properties");
        if (!properties.isObject() || properties.isEmpty()) {
            return Optional.empty();
        }
        Set<String> names = new TreeSet<>();
        Set<String> deprecated = new TreeSet<>();
        properties.properties().forEach(field -> {
            names.add(field.getKey());
            if (field.getValue().path("deprecated").asBoolean(false)) {
                deprecated.add(field.getKey());
            }
        });
        return Optional.of(new RoleParameters(path, names, deprecated, pathParameters));
    }
}
