#!/usr/bin/env bash
# Copy the reports that benchmarks and test runs generate into docs/reports/, each under a header saying where it
# came from, when it was written and on what machine. The docs quote numbers only from these copies, between
# <!-- report: docs/reports/NAME.md --> and <!-- end report --> markers, and DocsReportRegionsTest (samples) fails
# when a quoted line is not in the copy. Run it on the machine that produced the reports, then update the quoted
# regions and commit both.
#
# usage: docs/reports/update.sh [CHECKOUT]    CHECKOUT: where the run happened (default: this checkout)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
from=$(cd "${1:-$here}" && pwd)
out=$here/docs/reports

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -n 1)
commit=$(git -C "$from" rev-parse --short HEAD 2>/dev/null || echo unknown)
machine="$(nproc) cores (${cpu:-unknown CPU}), $(uname -s) $(uname -m), $(java -version 2>&1 | head -n 1)"

header() { # title, source, file
  printf '# %s\n\n' "$1"
  printf '<!-- Generated: copied by docs/reports/update.sh; change the generator, not this copy. -->\n\n'
  printf 'Copied from `%s`, written %s by a run of commit %s, on %s.\n\n' "$2" \
    "$(date -u -r "$3" +%Y-%m-%dT%H:%MZ)" "$commit" "$machine"
}

copy() { # source (relative to the checkout), target name, title
  local src=$from/$1
  if [ ! -f "$src" ]; then
    echo "update.sh: no $1 in $from: $2 left as it is"
    return
  fi
  { header "$3" "$1" "$src"; cat "$src"; } > "$out/$2"
  echo "update.sh: $2 <- $1"
}

copy benchmarks/target/benchmark.md benchmark.md "Start-up, memory and login, one run (EnvironmentBenchmark)"
copy src-it/target/compatibility.md compatibility.md "Compatibility (CompatibilityMatrixTest)"
copy src-it/target/auth-method-differences.md auth-method-differences.md "Where jwt and kubernetes differ (KubernetesAuthMethodTest)"
copy src-it/target/soak.md soak.md "Port soak (PortSoak)"
copy src-it/target/k3s-benchmark.md k3s-benchmark-standin.md "k3s backend on the node stand-in, not k3s (K3sBenchmark)"

# The CI log: how long each server build or download took and how long Maven ran. The lines are the library's own
# progress lines and Maven's summary, put into tables.
log=$from/target/ci-verify.log
if [ -f "$log" ]; then
  {
    header "Server binaries and the whole suite in CI (.ci/run)" target/ci-verify.log "$log"
    echo 'The servers the run did not find in its cache, as the library reported them. A build compiles fewer Go packages'
    echo "when Go's own build cache is warm, so the count says how cold the build was: in a whole \`.ci/run\` the node"
    echo "stand-in's Kubernetes build runs first, in the same Go build cache, and compiles most of kube-apiserver's packages."
    echo
    echo '| server | version | obtained by | took | Go packages compiled |'
    echo '|---|---|---|---:|---:|'
    grep -o '\[vault-k8s-trust\] \(built\|downloaded\) [^ ]* [^ ]* in [^ ]*\( ([0-9]* packages compiled)\)\?' "$log" \
      | sed -e 's/^\[vault-k8s-trust\] built \([^ ]*\) \([^ ]*\) in \([^ ]*\) (\([0-9]*\) packages compiled)$/| \1 | \2 | Go build | \3 | \4 |/' \
            -e 's/^\[vault-k8s-trust\] downloaded \([^ ]*\) \([^ ]*\) in \([^ ]*\)$/| \1 | \2 | download | \3 | |/' \
      || echo '| (none: every server came from the cache) | | | | |'
    echo
    echo "Maven's summary of \`./mvnw verify\` (the whole suite; \`.ci/run\` adds the Docker engine and the leak checks):"
    echo
    echo '| | |'
    echo '|---|---|'
    grep -E '^\[INFO\] (BUILD [A-Z]+|Total time: .*|Finished at: .*)$' "$log" \
      | sed -e 's/^\[INFO\] BUILD \([A-Z]*\)$/| result | BUILD \1 |/' \
            -e 's/^\[INFO\] Total time: *\(.*\)$/| total time | \1 |/' \
            -e 's/^\[INFO\] Finished at: *\(.*\)$/| finished at | \1 |/'
    run_log=$from/target/ci-run.log
    if [ -f "$run_log" ] && grep -q '^== .ci/run finished in ' "$run_log"; then
      echo
      echo 'The same run of `.ci/run` as a whole (target/ci-run.log): the node stand-in for the k3s backend'"'"'s tests, built'
      echo 'from Go modules and Debian packages before the suite (cached; none of its parts was in a cache unless it says'
      echo '0s), and the whole run, Docker engine, stand-in builds, suite and leak checks included:'
      echo
      echo '| | took |'
      echo '|---|---:|'
      grep -o 'build-node-standin: \[[0-9]*s\] \(built [^ ]* in [0-9]*s\|ready in [0-9]*s\)$' "$run_log" \
        | sed -e 's/^.*\] built \([^ ]*\) in \([0-9]*\)s$/| node stand-in: \1 (Go build) | \2 s |/' \
              -e 's/^.*\] ready in \([0-9]*\)s$/| node stand-in: all of it (builds, Debian root, images) | \1 s |/'
      sed -n 's/^== .ci\/run finished in \([0-9]*\)s with exit status \([0-9]*\)$/| **the whole `.ci\/run`** (exit status \2) | **\1 s** |/p' "$run_log"
    fi
  } > "$out/ci-build.md"
  echo "update.sh: ci-build.md <- target/ci-verify.log${run_log:+ and target/ci-run.log}"
else
  echo "update.sh: no target/ci-verify.log in $from: ci-build.md left as it is"
fi
