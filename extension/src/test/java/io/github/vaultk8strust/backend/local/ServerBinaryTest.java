package io.github.vaultk8strust.backend.local;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ServerBinaryTest {

    @Test
    void derivesSettingKeysAndEnvironmentVariablesFromTheId() {
        assertThat(ServerBinary.ETCD.settingKey()).isEqualTo("vaultk8s.local.etcd");
        assertThat(ServerBinary.KUBE_APISERVER.settingKey()).isEqualTo("vaultk8s.local.kube-apiserver");
        assertThat(ServerBinary.VAULT.settingKey()).isEqualTo("vaultk8s.local.vault");

        assertThat(ServerBinary.ETCD.envVar()).isEqualTo("VAULTK8S_LOCAL_ETCD");
        assertThat(ServerBinary.KUBE_APISERVER.envVar()).isEqualTo("VAULTK8S_LOCAL_KUBE_APISERVER");
        assertThat(ServerBinary.VAULT.envVar()).isEqualTo("VAULTK8S_LOCAL_VAULT");
    }

    @Test
    void pinsVersionsAndPrefersBaoOverVault() {
        assertThat(ServerBinary.ETCD.version()).isEqualTo("v3.6.14");
        assertThat(ServerBinary.KUBE_APISERVER.version()).isEqualTo("v1.34.10");
        assertThat(ServerBinary.VAULT.version()).isEqualTo("v1.21.0");
        assertThat(ServerBinary.VAULT.executableNames()).containsExactly("bao", "vault");
    }
}
