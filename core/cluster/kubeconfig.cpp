#include "cluster/kubeconfig.h"

#include "io/inputerror.h"
#include "sim/clusteroverrides.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace headroom::cluster {

namespace {

namespace fs = std::filesystem;

std::string readFile(const std::string &path, const std::string &field, const std::string &from)
{
    std::error_code ec;
    if (fs::is_directory(path, ec))
        throw InputError(from, std::nullopt, field, path + ": a folder, not a file");
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw InputError(from, std::nullopt, field, path + ": cannot be read");
    std::ostringstream text;
    text << in.rdbuf();
    if (text.str().empty())
        throw InputError(from, std::nullopt, field, path + ": empty");
    return text.str();
}

// A bearer token kept in a file (a kubeconfig's tokenFile, a service account's token):
// the whole file, without its final line break, checked for a header line.
std::string readToken(const std::string &path, const std::string &field, const std::string &from)
{
    std::string token = readFile(path, field, from);
    while (!token.empty() && (token.back() == '\n' || token.back() == '\r'))
        token.pop_back();
    checkBearerToken(token, path);
    return token;
}

// Standard base64 (as kubeconfig's *-data fields hold PEM files); nullopt when malformed.
std::optional<std::string> decodeBase64(const std::string &text)
{
    std::string out;
    int bits = 0;
    unsigned value = 0;
    std::size_t padding = 0;
    for (const char c : text) {
        int v = -1;
        if (c >= 'A' && c <= 'Z')
            v = c - 'A';
        else if (c >= 'a' && c <= 'z')
            v = c - 'a' + 26;
        else if (c >= '0' && c <= '9')
            v = c - '0' + 52;
        else if (c == '+')
            v = 62;
        else if (c == '/')
            v = 63;
        else if (c == '=') {
            ++padding;
            continue;
        } else if (c == '\n' || c == '\r' || c == ' ') {
            continue;
        }
        if (v < 0 || padding > 0)
            return std::nullopt;
        value = (value << 6) | static_cast<unsigned>(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += static_cast<char>((value >> bits) & 0xFF);
        }
    }
    if (padding > 2)
        return std::nullopt;
    return out;
}

// The entry of `list` (clusters, users, contexts) named `name`, its inner map.
YAML::Node named(const YAML::Node &root, const std::string &list, const std::string &name,
                 const std::string &inner, const std::string &path)
{
    const YAML::Node entries = root[list];
    if (entries && entries.IsSequence()) {
        for (const YAML::Node &entry : entries) {
            if (entry["name"] && entry["name"].as<std::string>("") == name) {
                if (!entry[inner] || !entry[inner].IsMap())
                    throw InputError(path, std::nullopt, list + "[" + name + "]." + inner, "missing");
                return entry[inner];
            }
        }
    }
    throw InputError(path, std::nullopt, list, "has no entry named '" + name + "'");
}

std::string text(const YAML::Node &node, const std::string &key)
{
    return node[key] && node[key].IsScalar() ? node[key].as<std::string>() : std::string();
}

// A PEM from `key-data` (base64) or the file `key` (relative to the kubeconfig's folder).
std::string pem(const YAML::Node &node, const std::string &key, const std::string &field,
                const std::string &path)
{
    const std::string data = text(node, key + "-data");
    if (!data.empty()) {
        const auto decoded = decodeBase64(data);
        if (!decoded || decoded->empty())
            throw InputError(path, std::nullopt, field + "." + key + "-data", "not base64, or empty");
        return *decoded;
    }
    std::string file = text(node, key);
    if (file.empty())
        return {};
    if (fs::path(file).is_relative())
        file = (fs::path(path).parent_path() / file).string();
    return readFile(file, field + "." + key, path);
}

} // namespace

ClusterAccess readKubeconfig(const std::string &path, const std::string &contextName)
{
    YAML::Node root;
    try {
        root = YAML::LoadFile(path);
    } catch (const YAML::BadFile &) {
        throw InputError(path, std::nullopt, "kubeconfig", "cannot be read");
    } catch (const YAML::Exception &e) {
        throw InputError(path, e.mark.line >= 0 ? std::optional<long>(e.mark.line + 1) : std::nullopt,
                         "kubeconfig", "not YAML: " + e.msg);
    }
    if (!root.IsMap())
        throw InputError(path, std::nullopt, "kubeconfig", "not a kubeconfig (no clusters, users and contexts)");
    try {
        const std::string contextUsed = contextName.empty() ? text(root, "current-context") : contextName;
        if (contextUsed.empty())
            throw InputError(path, std::nullopt, "current-context", "none set: name one with --context");
        const YAML::Node context = named(root, "contexts", contextUsed, "context", path);
        const std::string clusterName = text(context, "cluster");
        const std::string userName = text(context, "user");
        const YAML::Node cluster = named(root, "clusters", clusterName, "cluster", path);
        const std::string field = "clusters[" + clusterName + "].cluster";

        ClusterAccess access;
        access.describe = "kubeconfig " + path + ", context " + contextUsed;
        access.ns = text(context, "namespace");
        const std::string server = text(cluster, "server");
        if (server.empty())
            throw InputError(path, std::nullopt, field + ".server", "missing");
        try {
            access.server = parseHttpUrl(field + ".server", server);
        } catch (const InputError &e) {
            throw InputError(path, std::nullopt, field + ".server", e.problem());
        }
        access.tls.source = path;
        access.tls.caPem = pem(cluster, "certificate-authority", field, path);
        if (const YAML::Node skip = cluster["insecure-skip-tls-verify"]; skip) {
            const std::string text = skip.IsScalar() ? skip.Scalar() : std::string();
            if (text != "true" && text != "false")
                throw InputError(path, std::nullopt, field + ".insecure-skip-tls-verify", "not true or false");
            access.tls.insecureSkipVerify = text == "true";
        }
        if (!userName.empty()) {
            const YAML::Node user = named(root, "users", userName, "user", path);
            const std::string userField = "users[" + userName + "].user";
            if (user["exec"] || user["auth-provider"]) {
                throw InputError(path, std::nullopt, userField + (user["exec"] ? ".exec" : ".auth-provider"),
                    "credential plugins are not supported yet: use a token or a client certificate");
            }
            if (user["username"] || user["password"])
                throw InputError(path, std::nullopt, userField + ".username", "basic authentication is not supported");
            access.token = text(user, "token");
            const std::string tokenFile = text(user, "tokenFile");
            if (access.token.empty() && !tokenFile.empty()) {
                access.token = readToken(fs::path(tokenFile).is_relative()
                        ? (fs::path(path).parent_path() / tokenFile).string() : tokenFile,
                    userField + ".tokenFile", path);
            }
            checkBearerToken(access.token, path);
            access.tls.clientCertPem = pem(user, "client-certificate", userField, path);
            access.tls.clientKeyPem = pem(user, "client-key", userField, path);
        }
        return access;
    } catch (const YAML::Exception &e) {
        throw InputError(path, e.mark.line >= 0 ? std::optional<long>(e.mark.line + 1) : std::nullopt,
                         "kubeconfig", e.msg);
    }
}

std::string defaultKubeconfigPath()
{
    if (const char *env = std::getenv("KUBECONFIG"); env && *env) {
        const std::string list = env;
        return list.substr(0, list.find(':'));
    }
    const char *home = std::getenv("HOME");
    return (fs::path(home ? home : "") / ".kube" / "config").string();
}

ClusterAccess inClusterAccess(const std::string &dir)
{
    const char *host = std::getenv("KUBERNETES_SERVICE_HOST");
    const char *port = std::getenv("KUBERNETES_SERVICE_PORT");
    if (!host || !*host || !port || !*port) {
        throw InputError("--in-cluster", std::nullopt, "KUBERNETES_SERVICE_HOST",
            "not set: this is not a pod (run with --kubeconfig or --server instead)");
    }
    ClusterAccess access;
    std::string url = "https://";
    const bool v6 = std::string_view(host).find(':') != std::string_view::npos; // [v6]:port
    url.append(v6 ? "[" : "").append(host).append(v6 ? "]" : "").append(":").append(port);
    access.server = parseHttpUrl("KUBERNETES_SERVICE_HOST", url);
    access.tls.source = dir;
    access.tls.caPem = readFile((fs::path(dir) / "ca.crt").string(), "ca.crt", dir);
    access.token = readToken((fs::path(dir) / "token").string(), "token", dir);
    if (std::ifstream nsFile(fs::path(dir) / "namespace"); nsFile)
        std::getline(nsFile, access.ns);
    access.describe = "the pod's service account (" + dir + ")";
    return access;
}

std::string readTokenFile(const std::string &option, const std::string &path)
{
    if (std::filesystem::is_directory(path))
        throw InputError(path, std::nullopt, option, "a folder, not a token file");
    std::ifstream in(path);
    if (!in)
        throw InputError(path, std::nullopt, option, "cannot be read");
    std::string token;
    std::getline(in, token);
    while (!token.empty() && (token.back() == '\r' || token.back() == ' '))
        token.pop_back();
    if (token.empty())
        throw InputError(path, 1, option, "the first line holds no token");
    checkBearerToken(token, option);
    return token;
}

bool isKubernetesName(const std::string &name)
{
    return !name.empty() && name.size() <= 63
        && std::all_of(name.begin(), name.end(),
                       [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; })
        && name.front() != '-' && name.back() != '-';
}

const std::string &kubernetesNameOption(const std::string &option, const std::string &value)
{
    if (!isKubernetesName(value))
        throw sim::badOption(option, "'" + value + "' is not a Kubernetes name (lower-case letters, "
            "digits and '-', at most 63, not starting or ending with '-')");
    return value;
}

} // namespace headroom::cluster
