#include "daemons/ctl/demo_command.h"

#include <pwd.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "daemons/ctl/demo_service.h"
#include "lib/http/url.h"

namespace hai::ctl {
namespace {

namespace fs = std::filesystem;

// The first line of the admin's first-start password file; the portal
// removes it once the password is changed, and then haictl cannot sign in.
Result<std::string> ReadPassword(const std::string& path) {
  std::ifstream in(path);
  std::string password;
  if (!in || !std::getline(in, password) || password.empty())
    return Status::FailedPrecondition(
        path +
        ": missing or empty: the admin's first-start password was changed (haictl admin "
        "reset-password writes a new one)");
  return password;
}

Status MakeOne(const DemoOptions& o, const DemoModel& model, const std::string& run_as) {
  const fs::path models = fs::path(o.data_dir) / "models";
  const fs::path final_dir = models / model.name;
  std::error_code ec;
  if (fs::exists(final_dir / "config.json", ec)) return Status::Ok();
  const fs::path partial = models / ("." + model.name + ".partial");
  fs::remove_all(partial, ec);
  if (ec) return Status::Unavailable(partial.string() + ": cannot remove: " + ec.message());
  Status made =
      RunToEnd(DemoWeightsCommand(o.bin_dir + "/hai-model", partial.string(), model, run_as),
               std::chrono::seconds(120));
  if (made.ok()) {
    fs::remove_all(final_dir, ec);  // a folder without config.json: an earlier attempt
    fs::rename(partial, final_dir, ec);
    if (ec)
      made =
          Status::Unavailable(final_dir.string() + ": cannot rename into place: " + ec.message());
  }
  if (!made.ok()) fs::remove_all(partial, ec);
  return made;
}

}  // namespace

std::vector<std::string> DemoWeightsCommand(const std::string& hai_model,
                                            const std::string& out_dir, const DemoModel& model,
                                            const std::string& run_as) {
  std::vector<std::string> argv;
  if (!run_as.empty()) argv = {"runuser", "-u", run_as, "--"};
  for (const std::string& a : {hai_model, std::string("init"), std::string("--out"), out_dir})
    argv.push_back(a);
  for (const std::string& a : model.init_args) argv.push_back(a);
  return argv;
}

Result<std::string> WeightsUser(const std::string& wanted) {
  if (wanted.empty()) return std::string();
  if (::geteuid() == 0) return wanted;
  const passwd* me = ::getpwuid(::geteuid());
  if (me != nullptr && wanted == me->pw_name) return std::string();
  return Status::PermissionDenied("the demo weights are written as user " + wanted +
                                  ": run haictl demo as root or as " + wanted +
                                  " (or choose another with --run-as)");
}

Status MakeDemoWeights(const DemoOptions& options) {
  HAI_ASSIGN_OR_RETURN(std::string run_as, WeightsUser(options.run_as));
  for (const DemoModel& model : EmbeddedDemoModels())
    HAI_RETURN_IF_ERROR(MakeOne(options, model, run_as));
  return Status::Ok();
}

int RunDemo(const DemoOptions& options) {
  auto fail = [](const Status& st) {
    std::fprintf(stderr, "haictl: %s\n", st.message().c_str());
    return 1;
  };
  Result<http::HttpUrl> portal =
      http::ParseHttpUrl(options.portal_url, "--portal", http::UrlSchemes::kHttpOrHttps);
  if (!portal.ok()) return fail(portal.status());
  Result<std::string> password = ReadPassword(
      options.password_file.empty() ? options.data_dir + "/admin-password" : options.password_file);
  if (!password.ok()) return fail(password.status());
  if (Status st = MakeDemoWeights(options); !st.ok()) return fail(st);

  DemoServiceSpec spec;
  spec.vendor = options.vendor;
  for (const DemoModel& demo : EmbeddedDemoModels())
    if (demo.name != spec.model) spec.also_registered.push_back(demo.name);
  Result<std::string> replica =
      EnsureDemoService(*portal, portal->https ? options.ca_file : "", "admin", *password, spec,
                        std::chrono::seconds(options.timeout_s));
  if (!replica.ok()) return fail(replica.status());
  nlohmann::json line = {{"ready", true},
                         {"portal", portal->ToString()},
                         {"service", spec.service},
                         {"model", spec.service},
                         {"replica", *replica}};
  std::printf("%s\n", line.dump().c_str());
  return 0;
}

}  // namespace hai::ctl
