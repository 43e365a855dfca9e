#include "hwcheck/bmc/redfish_session.h"

#include <charconv>
#include <cstdio>
#include <vector>

namespace hai::hwcheck::bmc {

std::string Base64(const std::string& bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) |
                 (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                 static_cast<unsigned char>(bytes[i + 2]);
    for (int shift : {18, 12, 6, 0}) out.push_back(kAlphabet[(v >> shift) & 63]);
  }
  if (i < bytes.size()) {
    unsigned v = static_cast<unsigned char>(bytes[i]) << 16;
    if (i + 1 < bytes.size()) v |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    out.push_back(kAlphabet[(v >> 18) & 63]);
    out.push_back(kAlphabet[(v >> 12) & 63]);
    out.push_back(i + 1 < bytes.size() ? kAlphabet[(v >> 6) & 63] : '=');
    out.push_back('=');
  }
  return out;
}

namespace {

std::string Seconds(std::chrono::steady_clock::duration d) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f s", std::chrono::duration<double>(d).count());
  return text;
}

}  // namespace

RedfishSession::RedfishSession(const BmcTarget& target, EvidenceStore& evidence,
                               std::chrono::milliseconds timeout, Limits limits)
    : target_(target), evidence_(evidence), timeout_(timeout), limits_(limits) {
  deadline_ = std::chrono::steady_clock::now() + timeout * limits.budget_timeouts;
  authorization_ = "Basic " + Base64(target.user + ":" + target.password);
  http::HttpUrl url{target.host, target.port, target.scheme == "redfish+https"};
  client_ = std::make_unique<http::Client>(url, target.ca_file, static_cast<int>(timeout.count()));
  if (target.insecure) client_->SkipServerCertificateVerification();
}

RedfishSession::~RedfishSession() = default;

std::string RedfishSession::DescribeFailure(const std::string& path, const Status& status,
                                            std::chrono::steady_clock::duration took) const {
  // lib/http names the transport error ("Read", "ConnectionTimeout",
  // "SSLConnection"); a failure that took the whole timeout was the BMC not
  // answering, whatever the library called it.
  if (took >= timeout_ * 9 / 10)
    return target_.Endpoint() + " timed out: no answer to GET " + path + " within " +
           Seconds(timeout_) + " (" + status.message() + ")";
  return target_.Endpoint() + ": " + status.message();
}

Result<nlohmann::json> RedfishSession::Get(const std::string& path) {
  if (fetched_ >= limits_.max_resources)
    return Status::Unavailable(target_.Endpoint() + ": stopped after " + std::to_string(fetched_) +
                               " Redfish resources (the limit)");
  if (std::chrono::steady_clock::now() > deadline_)
    return Status::Unavailable(target_.Endpoint() + ": the Redfish read took longer than " +
                               Seconds(timeout_ * limits_.budget_timeouts) + "; stopped at " +
                               path);
  ++fetched_;
  std::string body;
  bool too_large = false;
  size_t limit = limits_.max_body_bytes;
  auto on_head = [&](const http::ClientResponse& head) {
    std::string length = head.Header("Content-Length");
    unsigned long long declared = 0;
    auto [end, error] = std::from_chars(length.data(), length.data() + length.size(), declared);
    too_large = error == std::errc::result_out_of_range ||
                (error == std::errc() && end == length.data() + length.size() && declared > limit);
    return !too_large;
  };
  auto on_data = [&](std::string_view data) {
    if (body.size() + data.size() > limit) {
      too_large = true;
      return false;
    }
    body.append(data);
    return true;
  };
  std::vector<std::pair<std::string, std::string>> headers = {
      {"Authorization", authorization_}, {"Accept", "application/json"}, {"OData-Version", "4.0"}};
  auto start = std::chrono::steady_clock::now();
  auto response = client_->SendStreaming("GET", path, "", headers, on_head, on_data);
  if (too_large)
    return Status::Unavailable(target_.Endpoint() + ": the answer to GET " + path +
                               " is larger than " + std::to_string(limit >> 20) + " MiB");
  if (!response.ok())
    return Status::Unavailable(
        DescribeFailure(path, response.status(), std::chrono::steady_clock::now() - start));
  int code = response->status;
  // Named after the resource ("redfish_v1_Chassis_1U_Thermal.txt").
  std::string label = path;
  while (!label.empty() && label.front() == '/') label.erase(0, 1);
  evidence_.Save(code == 200 ? label : label + "_http" + std::to_string(code), body);
  if (code == 401 || code == 403)
    return Status::Unavailable(target_.Endpoint() + " refused the login (HTTP " +
                               std::to_string(code) + " for GET " + path + ")");
  if (code == 404) return Status::NotFound("GET " + path + ": HTTP 404");
  if (code < 200 || code > 299)
    return Status::Unavailable(target_.Endpoint() + ": GET " + path + " answered HTTP " +
                               std::to_string(code));
  auto parsed = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded() || !parsed.is_object())
    return Status::Unavailable(target_.Endpoint() + ": GET " + path +
                               " did not answer a JSON object");
  return parsed;
}

}  // namespace hai::hwcheck::bmc
