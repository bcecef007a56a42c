package io.github.vaultk8strust.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import io.github.vaultk8strust.backend.k3s.DockerProbe;
import io.github.vaultk8strust.backend.k3s.K3sContainerSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * The NODE STAND-IN's command line (not k3s; {@link NodeStandin}): it runs only the {@code k3s server} flags it knows
 * how to apply, and fails at once, naming the flag, on any other, so that it can never drift silently from what the k3s
 * backend sends. Each case is a container that exits within seconds (no component starts).
 */
@EnabledIf(value = "io.github.vaultk8strust.it.NodeStandin#built", disabledReason = NodeStandin.NOT_BUILT)
class NodeStandinFlagsTest {

    @Test
    void anUnknownFlagFailsTheNodeAtOnceNamingIt() throws Exception {
        List<String> command = new ArrayList<>(new K3sContainerSpec(NodeStandin.NODE_IMAGE, List.of(),
                Duration.ofSeconds(9), false).command("localhost"));
        command.add("--flannel-backend=none");

        Exited node = run(command);

        assertThat(node.code()).isEqualTo(1);
        assertThat(node.log()).contains("unknown flag --flannel-backend")
                .contains("--kube-apiserver-arg").doesNotContain("Node controller sync successful");
    }

    @Test
    void anUnknownComponentToDisableAndAnotherCommandAreRefusedToo() throws Exception {
        assertThat(run(List.of("server", "--disable=traefik,helm-controller")).log())
                .contains("--disable=helm-controller: unknown component");
        Exited agent = run(List.of("agent", "--server=https://elsewhere:6443"));
        assertThat(agent.code()).isEqualTo(1);
        assertThat(agent.log()).contains("runs only 'server'");
    }

    private record Exited(long code, String log) {
    }

    /** Run the node image with this command (no privileges: it must fail before it needs any) until it exits. */
    private static Exited run(List<String> command) throws Exception {
        try (DockerClient docker = DockerProbe.rawClient()) {
            String id = docker.createContainerCmd(NodeStandin.NODE_IMAGE).withCmd(command).exec().getId();
            try {
                docker.startContainerCmd(id).exec();
                Integer code = docker.waitContainerCmd(id).start().awaitStatusCode(60, TimeUnit.SECONDS);
                StringBuilder log = new StringBuilder();
                docker.logContainerCmd(id).withStdOut(true).withStdErr(true)
                        .exec(new ResultCallback.Adapter<Frame>() {
                            @Override
                            public void onNext(Frame frame) {
                                log.append(new String(frame.getPayload()));
                            }
                        }).awaitCompletion(30, TimeUnit.SECONDS);
                return new Exited(code, log.toString());
            } finally {
                docker.removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
            }
        }
    }
}
