#include "hwcheck/bmc/ipmi_reader.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>

#include "hwcheck/bmc/ipmi_parser.h"
#include "hwcheck/bmc/ipmi_sensor_parser.h"
#include "hwcheck/bmc/ipmi_text.h"
#include "lib/accel/tool_text.h"

namespace hai::hwcheck::bmc {
namespace {

using std::chrono::milliseconds;

// The password for `ipmitool -f`: a 0600 file of our own (mkstemp), removed
// when the read is over, so the password is never on a command line (which
// any local user can read in /proc) nor in the evidence.
class PasswordFile {
 public:
  static Result<std::unique_ptr<PasswordFile>> Create(const std::string& password) {
    std::string path = (std::filesystem::temp_directory_path() / "hai-ipmi-pass-XXXXXX").string();
    int fd = mkstemp(path.data());  // created 0600
    if (fd < 0) return Status::Internal(std::string("password file: ") + strerror(errno));
    auto file = std::unique_ptr<PasswordFile>(new PasswordFile(path));
    size_t done = 0;
    while (done < password.size()) {
      ssize_t n = write(fd, password.data() + done, password.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        close(fd);
        return Status::Internal(std::string("password file: ") + strerror(errno));
      }
      done += static_cast<size_t>(n);
    }
    close(fd);
    return file;
  }
  ~PasswordFile() { unlink(path_.c_str()); }
  PasswordFile(const PasswordFile&) = delete;
  PasswordFile& operator=(const PasswordFile&) = delete;
  const std::string& path() const { return path_; }

 private:
  explicit PasswordFile(std::string path) : path_(std::move(path)) {}
  std::string path_;
};

std::string Endpoint(const BmcTarget& t) {
  const bool v6 = t.host.find(':') != std::string::npos;
  return (v6 ? "[" + t.host + "]" : t.host) + ":" + std::to_string(t.port);
}

std::string Seconds(milliseconds ms) {
  const long long whole = ms.count() / 1000, tenths = (ms.count() % 1000) / 100;
  return std::to_string(whole) + (tenths != 0 ? "." + std::to_string(tenths) : "") + " s";
}

std::string StderrOf(const ToolRun& run) {
  return run.output.ok() ? run.output->stderr_text : run.output.status().message();
}

// The first stderr line containing `needle` (case-insensitive), without
// ipmitool's "Error: " and "> " prefixes.
std::string LineWith(const std::string& text, std::string_view needle) {
  for (std::string_view line : accel::SplitLines(text)) {
    if (Lower(line).find(needle) == std::string::npos) continue;
    line = accel::TrimText(line);
    for (std::string_view prefix : {"Error: ", "> "})
      if (line.substr(0, prefix.size()) == prefix) line.remove_prefix(prefix.size());
    return std::string(line);
  }
  return {};
}

std::string Joined(const std::vector<std::string>& words) {
  std::string out;
  for (const std::string& w : words) {
    if (w == "-v") continue;
    out += (out.empty() ? "" : " ") + w;
  }
  return out;
}

// FRU devices other than the system's often belong to power supplies ("PSU1
// (ID 2)"): their serial and model go on the part whose name starts the same.
void AttachFruSerials(const std::vector<IpmiFruDevice>& devices, std::vector<BmcPart>* parts) {
  for (const IpmiFruDevice& d : devices) {
    const std::string name = Lower(d.description.substr(0, d.description.find(" (ID")));
    if (name.empty() || d.description.find("(ID 0)") != std::string::npos) continue;
    std::string serial = d.Get("Product Serial");
    if (serial.empty()) serial = d.Get("Board Serial");
    if (serial.empty()) continue;
    for (BmcPart& p : *parts) {
      if (p.kind != "psu" || Lower(p.name).rfind(name, 0) != 0) continue;
      p.serial = serial;
      p.model = d.Get("Product Name").empty() ? d.Get("Board Product") : d.Get("Product Name");
    }
  }
}

}  // namespace

IpmiRetry IpmiRetryFor(milliseconds timeout) {
  IpmiRetry retry;
  const long long half_s = timeout.count() / 2000;
  for (int r = 3; r >= 1; --r) {
    if (r == 1 || r * (r + 1) <= half_s) {
      retry.retries = r;
      break;
    }
  }
  return retry;
}

std::vector<std::string> IpmiArgv(const BmcTarget& target, const std::string& password_file,
                                  IpmiRetry retry, const std::vector<std::string>& command) {
  std::vector<std::string> argv = {"ipmitool",
                                   "-I",
                                   "lanplus",
                                   "-C",
                                   "3",
                                   "-N",
                                   std::to_string(retry.wait_s),
                                   "-R",
                                   std::to_string(retry.retries),
                                   "-H",
                                   target.host,
                                   "-p",
                                   std::to_string(target.port),
                                   "-U",
                                   target.user,
                                   "-f",
                                   password_file};
  argv.insert(argv.end(), command.begin(), command.end());
  return argv;
}

IpmiSessionFailure ClassifyIpmiSession(const ToolRun& run, std::string* detail) {
  std::string ignored;
  if (detail == nullptr) detail = &ignored;
  if (run.ok() || run.missing) return IpmiSessionFailure::kNone;
  if (!run.output.ok()) {
    const std::string& why = run.output.status().message();
    if (why.find("timed out") == std::string::npos) return IpmiSessionFailure::kNone;
    *detail = why.substr(why.find("timed out"));
    return IpmiSessionFailure::kTimedOut;
  }
  const std::string err = StderrOf(run);
  const std::string lower = Lower(err);
  // Nothing came back to the first request of a session (Get Channel
  // Authentication Capabilities): nobody there, or a filter in between.
  for (std::string_view silent :
       {"get auth capabilities error", "error issuing get channel authentication capabilities",
        "no response from remote controller"}) {
    if (lower.find(silent) == std::string::npos) continue;
    *detail = silent.starts_with("no response")
                  ? "no response from the remote controller"
                  : "no answer to Get Channel Authentication Capabilities";
    return IpmiSessionFailure::kNoAnswer;
  }
  // An answer, but no session: RAKP (IPMI v2.0 §13.31) failed on the user
  // name, the password (HMAC), the role or the cipher suite.
  if (lower.find("unable to establish") != std::string::npos ||
      lower.find("rakp") != std::string::npos) {
    std::string line = LineWith(err, "rakp");
    if (line.empty()) line = LineWith(err, "unable to establish");
    *detail = line + " (check the user name, the password and that cipher suite 3 is enabled)";
    return IpmiSessionFailure::kRefused;
  }
  return IpmiSessionFailure::kNone;
}

Result<BmcSnapshot> ReadIpmiBmc(const BmcTarget& target, ToolRunner& tools,
                                std::chrono::milliseconds timeout) {
  HAI_ASSIGN_OR_RETURN(std::unique_ptr<PasswordFile> password,
                       PasswordFile::Create(target.password));
  const IpmiRetry retry = IpmiRetryFor(timeout);
  const std::string endpoint = Endpoint(target);

  struct Step {
    std::vector<std::string> command;
    bool required;  // without it there is nothing to judge
    std::string text;
  };
  // `mc info` goes first and verbose: it is the login, and ipmitool only says
  // why a session failed (RAKP) with -v; -v leaves its stdout as it is.
  Step steps[] = {{{"-v", "mc", "info"}, true, {}}, {{"chassis", "status"}, false, {}},
                  {{"sdr", "elist"}, true, {}},     {{"sensor", "list"}, false, {}},
                  {{"sel", "elist"}, false, {}},    {{"fru", "print"}, false, {}}};
  for (Step& step : steps) {
    ToolRun run = tools.Run(IpmiArgv(target, password->path(), retry, step.command), timeout);
    const std::string what = "ipmitool " + Joined(step.command);
    if (run.missing) return Status::NotFound("ipmitool not found");
    std::string detail;
    switch (ClassifyIpmiSession(run, &detail)) {
      case IpmiSessionFailure::kRefused:
        return Status::Unavailable("BMC " + endpoint + " refused the login: " + detail);
      case IpmiSessionFailure::kNoAnswer:
        return Status::Unavailable("BMC " + endpoint + " did not answer (" + detail +
                                   ", ipmitool -N " + std::to_string(retry.wait_s) + " -R " +
                                   std::to_string(retry.retries) + ")");
      case IpmiSessionFailure::kTimedOut:
        return Status::Unavailable("BMC " + endpoint + " timed out after " + Seconds(timeout) +
                                   " (" + what + ")");
      case IpmiSessionFailure::kNone:
        break;
    }
    // A failed command may still have printed most of its table (one sensor
    // that would not read); only an empty answer to a required one is fatal.
    if (!run.ok() && step.required && accel::TrimText(run.text()).empty()) {
      std::string said = StderrOf(run);
      said = std::string(accel::TrimText(said.substr(0, said.find('\n'))));
      return Status::Unavailable("BMC " + endpoint + ": " + what + " failed: " + said);
    }
    step.text = run.text();
  }

  BmcSnapshot snapshot;
  snapshot.source = "ipmi";
  snapshot.endpoint = endpoint;
  snapshot.bmc_firmware = ParseIpmiMcInfo(steps[0].text).firmware;
  IpmiChassisStatus chassis = ParseIpmiChassisStatus(steps[1].text);
  snapshot.power_state = chassis.power;
  snapshot.parts =
      IpmiSensorParts(ParseIpmiSdrElist(steps[2].text), ParseIpmiSensorList(steps[3].text),
                      &snapshot.redundancy_problems);
  for (BmcPart& fault : chassis.faults) snapshot.parts.push_back(std::move(fault));
  snapshot.log = ParseIpmiSel(steps[4].text);
  const std::vector<IpmiFruDevice> fru = ParseIpmiFru(steps[5].text);
  ApplyIpmiFru(fru, &snapshot);
  AttachFruSerials(fru, &snapshot.parts);
  return snapshot;
}

}  // namespace hai::hwcheck::bmc
