package io.github.vaultk8strust.spi;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.github.vaultk8strust.Workload;
import io.github.vaultk8strust.WorkloadSpec;
import java.time.Duration;
import org.apiguardian.api.API;

/** The capability of a backend with a kubelet ({@link BackendFeature#PODS}): run a pod with a projected token. */
@API(status = EXPERIMENTAL, since = "0.1")
public interface WorkloadRunner {

    /** Start the pod and wait until it is ready, within the timeout; the caller closes it. */
    Workload startWorkload(WorkloadSpec spec, Duration timeout);
}
