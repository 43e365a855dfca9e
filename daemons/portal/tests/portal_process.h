#pragma once

#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "lib/http/client.h"
#include "lib/proc/child.h"

namespace hai::portal::testing {

// A real hai-portal process on a random loopback port with a fresh data
// directory, for black-box API tests. Password hashing is cheapened through
// the config file so hundreds of sign-ins stay quick.
class PortalProcess {
 public:
  // `extra_config` is appended to the [portal] table. A non-empty
  // `https_ca_file`: the portal serves HTTPS (`extra_config` names its
  // certificate and key) and is called over HTTPS, trusting that CA.
  explicit PortalProcess(const std::string& extra_config = "",
                         const std::string& https_ca_file = "");
  ~PortalProcess();

  bool ok() const { return port_ > 0; }
  int port() const { return port_; }
  const std::string& admin_password() const { return admin_password_; }
  const std::string& data_dir() const { return dir_; }
  std::string ClusterToken() const;

  struct Reply {
    int status = 0;
    nlohmann::json body;  // null when the body is not JSON
    std::string raw;
    std::string set_cookie;
    std::string request_id;
  };
  // Sends `body` (dumped unless it is a string already) with `token` as bearer.
  Reply Send(const std::string& method, const std::string& path, const std::string& token = "",
             const nlohmann::json& body = nullptr,
             const std::vector<std::pair<std::string, std::string>>& headers = {});
  Reply SendRaw(const std::string& method, const std::string& path, const std::string& token,
                const std::string& raw_body);

  // Signs in and returns the bearer token ("" on failure).
  std::string Login(const std::string& username, const std::string& password);
  std::string AdminToken() { return Login("admin", admin_password_); }
  // Helpers that must succeed (they fail the test otherwise).
  int64_t CreateOrg(const std::string& token, const std::string& name);
  int64_t CreateUser(const std::string& token, const std::string& username,
                     std::optional<int64_t> org_id = std::nullopt, const std::string& role = "");
  int64_t AuditTotal(const std::string& admin_token);

  static constexpr const char* kPassword = "Ward-7-night-shift";

 private:
  Reply Exchange(const std::string& method, const std::string& path, const std::string& token,
                 const std::string& text, std::vector<std::pair<std::string, std::string>> headers);

  std::string dir_;
  int port_ = 0;
  std::string https_ca_file_;
  std::string admin_password_;
  std::unique_ptr<proc::Child> child_;
};

// The build tree's directory of programs (set by CMake for these tests).
std::string BinDir();
std::string SourceDir();

}  // namespace hai::portal::testing
