#pragma once

#include "cluster/httpclient.h"

#include <string>

namespace headroom::cluster {

// Where a cluster's API is and how to talk to it.
struct ClusterAccess
{
    HttpEndpoint server;
    std::string token; // a bearer token, or empty
    TlsSettings tls;
    std::string ns;    // the context's namespace; empty when it names none
    std::string describe; // e.g. "kubeconfig /home/u/.kube/config, context kind-dev"
};

// Reads a kubeconfig as kubectl does, for `context` (empty: its current-context): the
// cluster's server, certificate-authority(-data) and insecure-skip-tls-verify; the user's
// token, tokenFile, client-certificate(-data) and client-key(-data), files relative to the
// kubeconfig's folder; the context's namespace. Users that authenticate through exec or
// auth-provider plugins are refused (not supported), as is a username and password.
// Throws InputError naming the file and the field.
ClusterAccess readKubeconfig(const std::string &path, const std::string &context);

// A --token-file's first line, without trailing CR or spaces: a bearer token. Throws
// InputError naming `option` and the file when it is a folder, cannot be read, the line is
// empty or holds a control character.
std::string readTokenFile(const std::string &option, const std::string &path);

// A Kubernetes object name (an RFC 1123 label): lower-case letters, digits and '-', at most
// 63, not starting or ending with '-'.
bool isKubernetesName(const std::string &name);
// `value` when it is one; throws InputError naming the command line's `option` otherwise.
const std::string &kubernetesNameOption(const std::string &option, const std::string &value);

// The kubeconfig kubectl reads: the first file of $KUBECONFIG, else ~/.kube/config.
std::string defaultKubeconfigPath();

// Inside a pod: the API at $KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT over https,
// trusted through the service account's ca.crt, with its token and namespace (files in
// `dir`). Throws InputError naming what is missing.
ClusterAccess inClusterAccess(const std::string &dir = "/var/run/secrets/kubernetes.io/serviceaccount");

} // namespace headroom::cluster
