package io.github.vaultk8strust;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.List;
import org.apiguardian.api.API;

/**
 * Vault did not take a role as it was written: the role (from a file, an annotation or a builder) sets a parameter
 * Vault does not know, which Vault ignores, most often without a word (say {@code audiences} for {@code audience}),
 * or a value that Vault reads back otherwise than written. Thrown while the environment starts, after every role was
 * written, naming each role, its file and line, the key, and for an unknown key the nearest one Vault knows.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public class RoleDefinitionException extends VaultK8sTrustException {

    private static final long serialVersionUID = 1L;

    private final transient List<String> problems;

    /** Create the exception with its whole message and one line per problem found. */
    public RoleDefinitionException(String message, List<String> problems) {
        super(message);
        this.problems = List.copyOf(problems);
    }

    /** Create the exception with its whole message, one line per problem found, and its cause. */
    public RoleDefinitionException(String message, List<String> problems, Throwable cause) {
        super(message, cause);
        this.problems = List.copyOf(problems);
    }

    /**
     * Return one line per problem, e.g. {@code vault/roles/payments.json line 4: `audiences` is not a parameter of
     * auth/kubernetes/role; did you mean `audience`? ...}.
     */
    public List<String> problems() {
        return problems;
    }
}
