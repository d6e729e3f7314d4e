// STS AssumeRole and AssumeRoleWithWebIdentity over the query protocol: a form-encoded POST
// answered with XML, which pugixml parses.
//
// AssumeRoleWithWebIdentity is unsigned by the API's design (the web identity token is the
// proof); AssumeRole is SigV4-signed for service "sts" with the source credentials.
#include <pugixml.hpp>

#include <ctime>
#include <utility>
#include <vector>

#include "auth/credential_sources.hpp"
#include "auth/url.hpp"
#include "dynamo/error.hpp"

namespace dynamo::auth::detail {
namespace {

constexpr std::string_view sts_version = "2011-06-15";

using Parameters = std::vector<std::pair<std::string, std::string>>;

std::string form_encode(const Parameters& parameters) {
  std::string body;
  for (const auto& [name, value] : parameters) {
    if (!body.empty()) body += '&';
    body += uri_encode(name, false);
    body += '=';
    body += uri_encode(value, false);
  }
  return body;
}

// STS's URL with a path, so it can be signed.
std::string with_path(const std::string& url) {
  const auto authority = url.find("://");
  if (authority == std::string::npos) return url;
  return url.find('/', authority + 3) == std::string::npos ? url + "/" : url;
}

FetchRequest sts_request(const StsEndpoint& sts, const Parameters& parameters) {
  FetchRequest request;
  request.method = "POST";
  request.url = with_path(sts.url);
  request.headers = {{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}};
  request.body = form_encode(parameters);
  request.connect_timeout = std::chrono::seconds(3);
  request.timeout = std::chrono::seconds(10);
  return request;
}

std::string text_of(const pugi::xml_node& node, const char* name) { return node.child(name).child_value(); }

// The credentials in an STS answer, or the error STS gave, as dynamo::Error with STS's code.
ExpiringCredentials parse_answer(const FetchResponse& response, std::string_view action, const StsEndpoint& sts,
                                 const std::string& what) {
  if (response.failed) {
    fail_retrieval("STS " + std::string(action) + " for " + what + " at " + sts.url +
                   " got no response: " + response.failure_text);
  }
  pugi::xml_document document;
  const pugi::xml_parse_result parsed = document.load_buffer(response.body.data(), response.body.size());
  if (const pugi::xml_node error = document.child("ErrorResponse").child("Error"); parsed && error) {
    const std::string code = text_of(error, "Code");
    throw Error(code.empty() ? std::string(error_code::credential_retrieval) : code,
                "STS " + std::string(action) + " for " + what + " was refused: " + text_of(error, "Message"),
                response.status, text_of(document.child("ErrorResponse"), "RequestId"));
  }
  const std::string response_name = std::string(action) + "Response";
  const std::string result_name = std::string(action) + "Result";
  const pugi::xml_node credentials =
      document.child(response_name.c_str()).child(result_name.c_str()).child("Credentials");
  if (!parsed || response.status >= 300 || !credentials) {
    // The body is not quoted: on success it would hold the secret.
    fail_retrieval("STS " + std::string(action) + " for " + what + " at " + sts.url + " answered HTTP " +
                   std::to_string(response.status) + " without " +
                   (response.status >= 300 ? "an STS error document" : "credentials"));
  }
  ExpiringCredentials fresh;
  fresh.credentials.access_key_id = text_of(credentials, "AccessKeyId");
  fresh.credentials.secret_access_key = text_of(credentials, "SecretAccessKey");
  fresh.credentials.session_token = text_of(credentials, "SessionToken");
  const std::string expiration = text_of(credentials, "Expiration");
  fresh.expiration = parse_iso8601(expiration);
  if (!fresh.expiration) {
    fail_retrieval("STS " + std::string(action) + " for " + what + " answered an unreadable Expiration '" +
                   expiration + "'");
  }
  return fresh;
}

}  // namespace

CredentialsCallback web_identity_source(WebIdentityConfig config, HttpFetch fetch) {
  return [config = std::move(config), fetch = std::move(fetch)] {
    // Read afresh each time: EKS rotates the projected token file while the pod runs.
    SecretString token = read_token_file(config.token_file, "web identity token file");
    const FetchRequest request = sts_request(config.sts, {{"Action", "AssumeRoleWithWebIdentity"},
                                                          {"RoleArn", config.role_arn},
                                                          {"RoleSessionName", config.session_name},
                                                          {"Version", std::string(sts_version)},
                                                          {"WebIdentityToken", token.reveal()}});
    ExpiringCredentials fresh =
        parse_answer(fetch(request), "AssumeRoleWithWebIdentity", config.sts, "role " + config.role_arn);
    fresh.credentials.source = "web identity (role " + config.role_arn + ")";
    return fresh;
  };
}

CredentialsCallback assume_role_source(AssumeRoleConfig config, std::shared_ptr<RefreshingCredentials> source,
                                       HttpFetch fetch) {
  return [config = std::move(config), source = std::move(source), fetch = std::move(fetch)] {
    Parameters parameters = {{"Action", "AssumeRole"},
                             {"RoleArn", config.role_arn},
                             {"RoleSessionName", config.session_name},
                             {"Version", std::string(sts_version)}};
    if (config.duration_seconds) parameters.emplace_back("DurationSeconds", std::to_string(*config.duration_seconds));
    if (config.external_id) parameters.emplace_back("ExternalId", *config.external_id);
    FetchRequest request = sts_request(config.sts, parameters);
    const std::shared_ptr<const Credentials> signer = source->current();
    sign_request({.method = request.method, .url = request.url, .headers = request.headers, .body = request.body},
                 *signer, {.region = config.sts.signing_region, .service = "sts", .timestamp = current_time()})
        .add_headers_to(request.headers);
    ExpiringCredentials fresh = parse_answer(fetch(request), "AssumeRole", config.sts, "role " + config.role_arn);
    fresh.credentials.source = "assume role " + config.role_arn + " (with " + signer->source + ")";
    return fresh;
  };
}

}  // namespace dynamo::auth::detail
