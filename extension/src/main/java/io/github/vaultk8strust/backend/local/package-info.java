/**
 * Internal: the local backend (etcd, kube-apiserver and Vault processes on 127.0.0.1). Not API.
 */
package io.github.vaultk8strust.backend.local;
