#pragma once

#include "cluster/execcredential.h"
#include "cluster/httpclient.h"

#include <memory>
#include <string>
#include <vector>

namespace headroom::cluster {

// Where a cluster's API is and how to talk to it.
struct ClusterAccess
{
    HttpEndpoint server;
    std::string token; // a bearer token, or empty
    TlsSettings tls;
    std::string ns;    // the context's namespace; empty when it names none
    std::string describe; // e.g. "kubeconfig /home/u/.kube/config, context kind-dev"
    // The user's exec credential plugin, when it has one: its credentials go with every
    // request (HttpClient::setCredentialPlugin), over `token` and the client certificate.
    std::shared_ptr<CredentialPlugin> plugin;
};

// Reads a kubeconfig as kubectl does, for `context` (empty: its current-context): the
// cluster's server, certificate-authority(-data) and insecure-skip-tls-verify; the user's
// token, tokenFile, client-certificate(-data), client-key(-data) and exec credential plugin
// (not run yet: ClusterAccess::plugin), files and a relative command path relative to the
// kubeconfig's folder; the context's namespace. auth-provider (kubectl's removed legacy
// plugins) and username/password are refused. Throws InputError naming the file and the field.
ClusterAccess readKubeconfig(const std::string &path, const std::string &context);

// Several kubeconfigs merged as kubectl merges $KUBECONFIG's list: the first file to set a
// cluster, user or context name wins for that name, and the current-context is the first
// file's that sets one. Empty paths and files that do not exist are skipped (InputError when
// none exists); one that exists and is not a kubeconfig is an error naming it. Each file's
// relative paths are its own folder's, and an error names the file the bad field came from.
ClusterAccess readKubeconfigs(const std::vector<std::string> &paths, const std::string &context);

// $KUBECONFIG's files (split at ':'), empty entries left out; none when it is not set.
std::vector<std::string> kubeconfigVariable();

// The kubeconfig kubectl reads: $KUBECONFIG's files merged (readKubeconfigs), or
// ~/.kube/config when it is not set or empty.
ClusterAccess readDefaultKubeconfig(const std::string &context);

// A --token-file's first line, without trailing CR or spaces: a bearer token. Throws
// InputError naming `option` and the file when it is a folder, cannot be read, the line is
// empty or holds a control character.
std::string readTokenFile(const std::string &option, const std::string &path);

// A Kubernetes object name (an RFC 1123 label): lower-case letters, digits and '-', at most
// 63, not starting or ending with '-'.
bool isKubernetesName(const std::string &name);
// `value` when it is one; throws InputError naming the command line's `option` otherwise.
const std::string &kubernetesNameOption(const std::string &option, const std::string &value);

// Inside a pod: the API at $KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT over https,
// trusted through the service account's ca.crt, with its token and namespace (files in
// `dir`). Throws InputError naming what is missing.
ClusterAccess inClusterAccess(const std::string &dir = "/var/run/secrets/kubernetes.io/serviceaccount");

} // namespace headroom::cluster
