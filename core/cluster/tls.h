#pragma once

// The client side of TLS, shared by the cluster's HttpClient and the load generator: one
// context from a TlsSettings, one way to ready a stream for a host, one wording of failures.

#include "cluster/httpclient.h"

#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/ssl.hpp>

#include <memory>
#include <string>

namespace headroom::cluster {

using TlsStream = boost::beast::ssl_stream<boost::beast::tcp_stream>;

// A PEM file named by a command-line option, whole; InputError naming the file and the option
// when it is a folder, cannot be read or is empty.
std::string readPemOption(const std::string &option, const std::string &path);

// TLS 1.2 and up, trusting tls.caPem (else the system's CAs), presenting the client
// certificate when there is one. Throws InputError naming tls.source for a PEM text that
// cannot be used.
std::shared_ptr<boost::asio::ssl::context> makeTlsContext(const TlsSettings &tls);

// Sets SNI (for a name, not an address) and, when `verify`, checks that the server's
// certificate names `host`.
void prepareTlsStream(TlsStream &stream, const std::string &host, bool verify);

// Whether `failure` came from TLS (a certificate, a handshake): trying again will not help.
bool isTlsFailure(const boost::beast::error_code &failure);

// A TLS error as a person reads it ("TLS: ..." with why the certificate was not trusted);
// empty when `failure` is not a TLS error.
std::string describeTlsFailure(const boost::beast::error_code &failure, TlsStream *stream,
                               const std::string &host);

} // namespace headroom::cluster
