#include "cluster/kubeconfig.h"

#include "io/inputerror.h"
#include "io/smallfile.h"
#include "logging.h"
#include "sim/clusteroverrides.h"

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace headroom::cluster {

namespace {

namespace fs = std::filesystem;

std::string readFile(const std::string &path, const std::string &field, const std::string &from)
{
    std::string text;
    if (const io::SmallFile read = io::readSmallFile(path, io::kMaxSmallFileBytes, text); read != io::SmallFile::Read)
        throw InputError(from, std::nullopt, field, path + ": " + io::smallFileProblem(read, io::kMaxSmallFileBytes));
    if (text.empty())
        throw InputError(from, std::nullopt, field, path + ": empty");
    return text;
}

// `text` without the whitespace (spaces, tabs, line breaks) it starts and ends with.
std::string trimmed(const std::string &text)
{
    constexpr const char *kSpace = " \t\r\n\v\f";
    const std::size_t first = text.find_first_not_of(kSpace);
    if (first == std::string::npos)
        return {};
    return text.substr(first, text.find_last_not_of(kSpace) - first + 1);
}

// The bearer token in a token file's `text`: the whole file without the whitespace around
// it, as kubectl reads it ("  sekret123  " was sent with its spaces and refused 401). A line
// break inside is refused: kubectl would send it too, and no server takes it in a header.
// `problem` words what is wrong for the caller's error.
std::optional<std::string> tokenIn(const std::string &text, std::string &problem)
{
    const std::string token = trimmed(text);
    if (token.empty()) {
        problem = "holds only whitespace, no token";
        return std::nullopt;
    }
    if (token.find_first_of("\r\n") != std::string::npos) {
        problem = "holds more than one line: a token file holds the token alone, on one line";
        return std::nullopt;
    }
    return token;
}

// A bearer token kept in a file (a kubeconfig's tokenFile, a service account's token),
// checked for a header line.
std::string readToken(const std::string &path, const std::string &field, const std::string &from)
{
    std::string problem;
    const std::optional<std::string> token = tokenIn(readFile(path, field, from), problem);
    if (!token)
        throw InputError(from, std::nullopt, field, path + ": " + problem);
    checkBearerToken(*token, path);
    return *token;
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

// A kubeconfig file, read whole.
struct Loaded
{
    std::string path;
    YAML::Node root;
};

// An entry of a clusters, users or contexts list: its inner map and the file it came from.
struct Entry
{
    YAML::Node node;
    std::string path;
};

// The entry of `list` (clusters, users, contexts) named `name`, its inner map, from the first
// file that has one (kubectl's merge: the first file to set a name wins). `from` names the
// file that asked for it, for the error when none has it.
Entry named(const std::vector<Loaded> &files, const std::string &list, const std::string &name,
            const std::string &inner, const std::string &from)
{
    for (const Loaded &file : files) {
        const YAML::Node entries = file.root[list];
        if (!entries || entries.IsNull())
            continue;
        if (!entries.IsSequence())
            throw InputError(file.path, std::nullopt, list, "not a list of named entries");
        for (const YAML::Node &entry : entries) {
            if (entry["name"] && entry["name"].as<std::string>("") == name) {
                if (!entry[inner] || !entry[inner].IsMap())
                    throw InputError(file.path, std::nullopt, list + "[" + name + "]." + inner, "missing");
                return {entry[inner], file.path};
            }
        }
    }
    throw InputError(from, std::nullopt, list, "has no entry named '" + name + "'"
        + (files.size() > 1 ? " (in any file of $KUBECONFIG)" : ""));
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

namespace {

// Standard base64, for spec.cluster's certificate-authority-data.
std::string encodeBase64(const std::string &bytes)
{
    static const char *digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    std::size_t i = 0;
    for (; i + 2 < bytes.size(); i += 3) {
        const unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) | (static_cast<unsigned char>(bytes[i + 1]) << 8)
            | static_cast<unsigned char>(bytes[i + 2]);
        out += {digits[v >> 18], digits[(v >> 12) & 63], digits[(v >> 6) & 63], digits[v & 63]};
    }
    if (i + 1 == bytes.size()) {
        const unsigned v = static_cast<unsigned char>(bytes[i]) << 16;
        out += {digits[v >> 18], digits[(v >> 12) & 63], '=', '='};
    } else if (i + 2 == bytes.size()) {
        const unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) | (static_cast<unsigned char>(bytes[i + 1]) << 8);
        out += {digits[v >> 18], digits[(v >> 12) & 63], digits[(v >> 6) & 63], '='};
    }
    return out;
}

// A YAML node as JSON (the exec extension's config, passed on to the plugin): maps, lists,
// and scalars, plain true/false/null and numbers as such, the rest as strings.
nlohmann::json toJson(const YAML::Node &node)
{
    if (node.IsMap()) {
        nlohmann::json o = nlohmann::json::object();
        for (const auto &kv : node)
            o[kv.first.as<std::string>()] = toJson(kv.second);
        return o;
    }
    if (node.IsSequence()) {
        nlohmann::json a = nlohmann::json::array();
        for (const YAML::Node &item : node)
            a.push_back(toJson(item));
        return a;
    }
    if (!node.IsScalar())
        return nullptr;
    const std::string &v = node.Scalar();
    if (node.Tag() == "?") { // plain, not quoted
        if (v == "true" || v == "false")
            return v == "true";
        if (v == "null" || v == "~")
            return nullptr;
        const auto number = nlohmann::json::parse(v, nullptr, false);
        if (number.is_number())
            return number;
    }
    return v;
}

// A user's exec plugin, as kubectl reads it; InputError naming the file and the field.
ExecPluginConfig execPlugin(const YAML::Node &exec, const std::string &userName, const std::string &path,
                            const YAML::Node &cluster, const ClusterAccess &access)
{
    const std::string field = "users[" + userName + "].user.exec";
    if (!exec.IsMap())
        throw InputError(path, std::nullopt, field, "not a map (command, args, env, apiVersion)");
    ExecPluginConfig c;
    c.kubeconfig = path;
    c.user = userName;
    c.command = text(exec, "command");
    if (c.command.empty())
        throw InputError(path, std::nullopt, field + ".command", "missing");
    // A relative path is the kubeconfig folder's, as kubectl has it; a bare name is looked up on $PATH.
    if (c.command.find('/') != std::string::npos && fs::path(c.command).is_relative())
        c.command = (fs::path(path).parent_path() / c.command).lexically_normal().string();
    c.apiVersion = text(exec, "apiVersion");
    if (c.apiVersion == "client.authentication.k8s.io/v1alpha1")
        throw InputError(path, std::nullopt, field + ".apiVersion",
            "v1alpha1 is no longer taken (kubectl dropped it): use client.authentication.k8s.io/v1");
    if (c.apiVersion != "client.authentication.k8s.io/v1" && c.apiVersion != "client.authentication.k8s.io/v1beta1")
        throw InputError(path, std::nullopt, field + ".apiVersion",
            (c.apiVersion.empty() ? std::string("missing") : "'" + c.apiVersion + "'")
                + ": client.authentication.k8s.io/v1 or /v1beta1");
    if (const YAML::Node args = exec["args"]; args && !args.IsNull()) {
        if (!args.IsSequence())
            throw InputError(path, std::nullopt, field + ".args", "not a list");
        for (const YAML::Node &arg : args) {
            if (!arg.IsScalar())
                throw InputError(path, std::nullopt, field + ".args", "holds something that is not a text");
            c.args.push_back(arg.Scalar());
        }
    }
    if (const YAML::Node env = exec["env"]; env && !env.IsNull()) {
        if (!env.IsSequence())
            throw InputError(path, std::nullopt, field + ".env", "not a list of {name, value}");
        for (const YAML::Node &e : env) {
            const std::string name = e.IsMap() ? text(e, "name") : std::string();
            if (name.empty() || name.find('=') != std::string::npos)
                throw InputError(path, std::nullopt, field + ".env", "an entry without a name (or with '=' in it)");
            c.env.emplace_back(name, text(e, "value"));
        }
    }
    const std::string mode = text(exec, "interactiveMode");
    if (mode == "Always")
        throw InputError(path, std::nullopt, field + ".interactiveMode",
            "Always: this plugin wants a terminal to ask on, and Headroom runs it without one "
            "(use a plugin or mode that needs no prompt: Never or IfAvailable)");
    if (!mode.empty() && mode != "Never" && mode != "IfAvailable")
        throw InputError(path, std::nullopt, field + ".interactiveMode", "'" + mode + "': Never, IfAvailable or Always");
    c.installHint = text(exec, "installHint");
    while (!c.installHint.empty() && std::isspace(static_cast<unsigned char>(c.installHint.back())))
        c.installHint.pop_back();
    if (const YAML::Node provide = exec["provideClusterInfo"]; provide && provide.IsScalar() && provide.Scalar() == "true") {
        nlohmann::json info = {{"server", text(cluster, "server")}};
        if (!access.tls.caPem.empty())
            info["certificate-authority-data"] = encodeBase64(access.tls.caPem);
        if (access.tls.insecureSkipVerify)
            info["insecure-skip-tls-verify"] = true;
        for (const char *key : {"tls-server-name", "proxy-url"}) {
            if (!text(cluster, key).empty())
                info[key] = text(cluster, key);
        }
        if (const YAML::Node extensions = cluster["extensions"]; extensions && extensions.IsSequence()) {
            for (const YAML::Node &ext : extensions) {
                if (ext.IsMap() && text(ext, "name") == "client.authentication.k8s.io/exec" && ext["extension"])
                    info["config"] = toJson(ext["extension"]);
            }
        }
        c.clusterInfo = info.dump();
    }
    return c;
}

// The access `contextName` (empty: the current-context) gives, from `files` merged as kubectl
// merges them; `where` names them for a current-context that none sets.
ClusterAccess readMerged(const std::vector<Loaded> &files, const std::string &contextName, const std::string &where)
{
    // Files with nothing in them (empty, or comments only): "current-context: none set" sent
    // a user to --context where the file was what was missing.
    if (std::all_of(files.begin(), files.end(), [](const Loaded &f) { return f.root.size() == 0; })) {
        throw InputError(where, std::nullopt, "kubeconfig", files.size() == 1
            ? "the file is empty: it holds no kubeconfig (no clusters, users or contexts)"
            : "the files are empty: they hold no kubeconfig (no clusters, users or contexts)");
    }
    try {
        std::string contextUsed = contextName;
        std::string contextFrom = files.front().path;
        for (const Loaded &file : files) {
            if (!contextUsed.empty())
                break;
            contextUsed = text(file.root, "current-context"); // the first file to set one
            contextFrom = file.path;
        }
        if (contextUsed.empty())
            throw InputError(where, std::nullopt, "current-context", "none set: name one with --context");
        const Entry context = named(files, "contexts", contextUsed, "context", contextFrom);
        const std::string clusterName = text(context.node, "cluster");
        const std::string userName = text(context.node, "user");
        const Entry clusterEntry = named(files, "clusters", clusterName, "cluster", context.path);
        const YAML::Node &cluster = clusterEntry.node;
        const std::string &path = clusterEntry.path;
        const std::string field = "clusters[" + clusterName + "].cluster";

        ClusterAccess access;
        access.describe = "kubeconfig " + where + ", context " + contextUsed;
        access.ns = text(context.node, "namespace");
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
        access.tls.caField = field + ".certificate-authority";
        if (const YAML::Node skip = cluster["insecure-skip-tls-verify"]; skip) {
            const std::string text = skip.IsScalar() ? skip.Scalar() : std::string();
            if (text != "true" && text != "false")
                throw InputError(path, std::nullopt, field + ".insecure-skip-tls-verify", "not true or false");
            access.tls.insecureSkipVerify = text == "true";
        }
        if (!userName.empty()) {
            const Entry userEntry = named(files, "users", userName, "user", context.path);
            const YAML::Node &user = userEntry.node;
            const std::string &userPath = userEntry.path;
            const std::string userField = "users[" + userName + "].user";
            if (user["auth-provider"]) {
                throw InputError(userPath, std::nullopt, userField + ".auth-provider",
                    "the legacy auth-provider mechanism, which kubectl has removed, is not supported: "
                    "use the provider's exec credential plugin instead (e.g. gke-gcloud-auth-plugin, kubelogin)");
            }
            if (user["username"] || user["password"])
                throw InputError(userPath, std::nullopt, userField + ".username", "basic authentication is not supported");
            access.token = text(user, "token");
            const std::string tokenFile = text(user, "tokenFile");
            if (access.token.empty() && !tokenFile.empty()) {
                access.token = readToken(fs::path(tokenFile).is_relative()
                        ? (fs::path(userPath).parent_path() / tokenFile).string() : tokenFile,
                    userField + ".tokenFile", userPath);
            }
            checkBearerToken(access.token, userPath);
            access.tls.clientCertPem = pem(user, "client-certificate", userField, userPath);
            access.tls.clientKeyPem = pem(user, "client-key", userField, userPath);
            access.tls.certField = userField + ".client-certificate";
            access.tls.keyField = userField + ".client-key";
            if (userPath != path && (!access.tls.clientCertPem.empty() || !access.tls.clientKeyPem.empty()))
                access.tls.source = path + " (cluster) and " + userPath + " (user)";
            if (const YAML::Node exec = user["exec"]; exec && !exec.IsNull())
                access.plugin = std::make_shared<CredentialPlugin>(execPlugin(exec, userName, userPath, cluster, access));
        }
        return access;
    } catch (const YAML::Exception &e) {
        throw InputError(where, e.mark.line >= 0 ? std::optional<long>(e.mark.line + 1) : std::nullopt,
                         "kubeconfig", e.msg);
    }
}

Loaded load(const std::string &path)
{
    Loaded file {path, {}};
    std::string text;
    if (const io::SmallFile read = io::readSmallFile(path, io::kMaxSmallFileBytes, text); read != io::SmallFile::Read)
        throw InputError(path, std::nullopt, "kubeconfig", io::smallFileProblem(read, io::kMaxSmallFileBytes));
    try {
        file.root = YAML::Load(text);
    } catch (const YAML::Exception &e) {
        throw InputError(path, e.mark.line >= 0 ? std::optional<long>(e.mark.line + 1) : std::nullopt,
                         "kubeconfig", "not YAML: " + e.msg);
    }
    // An empty file is an empty kubeconfig (kubectl takes one); anything else must be a map.
    if (file.root.IsNull())
        file.root = YAML::Node(YAML::NodeType::Map);
    if (!file.root.IsMap())
        throw InputError(path, std::nullopt, "kubeconfig", "not a kubeconfig (no clusters, users and contexts)");
    return file;
}

} // namespace

ClusterAccess readKubeconfig(const std::string &path, const std::string &contextName)
{
    return readMerged({load(path)}, contextName, path);
}

ClusterAccess readKubeconfigs(const std::vector<std::string> &paths, const std::string &contextName)
{
    std::vector<Loaded> files;
    std::string list;
    for (const std::string &path : paths) {
        if (path.empty())
            continue;
        list += (list.empty() ? "" : ":") + path;
        std::error_code ec;
        if (!fs::exists(path, ec)) {
            qCDebug(lcCluster, "kubeconfig %s (in $KUBECONFIG) does not exist: skipped, as kubectl does", path.c_str());
            continue;
        }
        files.push_back(load(path));
    }
    if (files.empty())
        throw InputError(list.empty() ? std::string("$KUBECONFIG") : list, std::nullopt, "kubeconfig",
                         "none of $KUBECONFIG's files exists");
    return readMerged(files, contextName, files.size() == 1 ? files.front().path : list);
}

std::vector<std::string> kubeconfigVariable()
{
    std::vector<std::string> paths;
    const char *env = std::getenv("KUBECONFIG");
    if (!env)
        return paths;
    const std::string list = env;
    std::size_t start = 0;
    for (;;) {
        const std::size_t colon = list.find(':', start);
        const std::string path = list.substr(start, colon == std::string::npos ? std::string::npos : colon - start);
        if (!path.empty())
            paths.push_back(path);
        if (colon == std::string::npos)
            break;
        start = colon + 1;
    }
    return paths;
}

ClusterAccess readDefaultKubeconfig(const std::string &context)
{
    const std::vector<std::string> paths = kubeconfigVariable();
    if (!paths.empty())
        return readKubeconfigs(paths, context);
    const char *home = std::getenv("HOME");
    return readKubeconfig((fs::path(home ? home : "") / ".kube" / "config").string(), context);
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
    std::string text;
    if (const io::SmallFile read = io::readSmallFile(path, io::kMaxSmallFileBytes, text); read != io::SmallFile::Read)
        throw InputError(path, std::nullopt, option, io::smallFileProblem(read, io::kMaxSmallFileBytes));
    std::string problem;
    const std::optional<std::string> token = tokenIn(text, problem);
    if (!token)
        throw InputError(path, std::nullopt, option, problem);
    checkBearerToken(*token, option);
    return *token;
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
