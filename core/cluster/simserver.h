#pragma once

#include "cluster/simulatedcluster.h"

#include <atomic>
#include <memory>
#include <string>

namespace headroom::cluster {

struct ServerOptions
{
    std::string address = "127.0.0.1";
    unsigned short port = 8080; // 0: any free port (see SimulatorServer::port())
    double speed = 1.0;         // simulated seconds per wall-clock second
    // HTTPS when both are given: PEM files of the server's certificate (chain) and key.
    std::string tlsCertFile;
    std::string tlsKeyFile;
    // With HTTPS: client certificates are required and checked against this CA (PEM file).
    std::string clientCaFile;
    // Every request but /healthz, /readyz and /livez must carry "Authorization: Bearer TOKEN"
    // (the scheme in any case, as the Kubernetes API server reads it).
    std::string bearerToken;
};

// What a server on these options should warn of as it starts: on an address other machines
// reach (not 127.0.0.0/8 or ::1) with neither a bearer token nor client certificates, anyone
// there can scale the deployment. Empty when nothing (or when the address is no address,
// which the server refuses).
std::string exposureWarning(const ServerOptions &options);

// A SimulatedCluster served over HTTP/1.1 (Boost.Beast) in real time: every 20 ms of wall
// clock it simulates up to (wall time since start) x speed, so kubectl, Prometheus or an
// external autoscaler see a cluster whose load moves while they watch. One thread runs
// the sockets and the simulation both, so the API always answers from one consistent state.
class SimulatorServer
{
public:
    // Binds at once: a port in use or an address that is not local is an InputError
    // naming it. The cluster's objects are stamped from the moment of construction.
    SimulatorServer(ServerOptions options, std::unique_ptr<SimulatedCluster> cluster);
    ~SimulatorServer();

    unsigned short port() const;
    // Serves until the cluster's duration has passed in simulated time, or stop().
    void run();
    // Ends run() soon after; safe from another thread or a signal handler's thread.
    void stop();
    const SimulatedCluster &cluster() const;

private:
    struct State;
    std::unique_ptr<State> m_state;
};

} // namespace headroom::cluster
