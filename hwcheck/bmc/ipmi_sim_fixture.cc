#include "hwcheck/bmc/ipmi_sim_fixture.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

#include "hwcheck/bmc/ipmi_sim_records.h"
#include "lib/accel/command_runner.h"

namespace hai::hwcheck::bmc::sim {
namespace {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

bool OnPath(const std::string& name) {
  const char* env = std::getenv("PATH");
  std::string path = env ? env : "/usr/sbin:/usr/bin:/sbin:/bin";
  std::stringstream dirs(path);
  std::string dir;
  while (std::getline(dirs, dir, ':'))
    if (!dir.empty() && access((dir + "/" + name).c_str(), X_OK) == 0) return true;
  return false;
}

Status WriteFile(const std::string& path, const std::string& text, mode_t mode) {
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) return Status::Internal("cannot write " + path + ": " + strerror(errno));
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      close(fd);
      return Status::Internal("cannot write " + path + ": " + strerror(errno));
    }
    done += static_cast<size_t>(n);
  }
  close(fd);
  return Status::Ok();
}

std::string ReadLog(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str().substr(0, 2000);
}

std::vector<AnalogSensor> AnalogSensors() {
  AnalogSensor cpu_temp{.number = 0x30,
                        .entity_id = 0x03,
                        .sensor_type = 0x01,
                        .name = "CPU1 Temp",
                        .base_unit = 1,
                        .thresholds = kUnc | kUc | kUnr,
                        .unc = 75,
                        .uc = 85,
                        .unr = 95,
                        .nominal = 40};
  AnalogSensor inlet = cpu_temp;
  inlet.number = 0x31;
  inlet.entity_id = 0x07;
  inlet.name = "Inlet Temp";
  inlet.unc = 42, inlet.uc = 48, inlet.unr = 55, inlet.nominal = 24;
  AnalogSensor fan1{.number = 0x40,
                    .entity_id = 0x1d,
                    .sensor_type = 0x04,
                    .name = "FAN1",
                    .base_unit = 18,
                    .m = 100,
                    .thresholds = kLnr | kLc | kLnc,
                    .lnr = 5,
                    .lc = 10,
                    .lnc = 15,
                    .nominal = 80};
  AnalogSensor fan2 = fan1;
  fan2.number = 0x41;
  fan2.entity_instance = 2;
  fan2.name = "FAN2";
  AnalogSensor p12v{.number = 0x48,
                    .entity_id = 0x07,
                    .sensor_type = 0x02,
                    .name = "P12V",
                    .base_unit = 4,
                    .m = 1,
                    .r_exp = -1,
                    .thresholds = kLc | kLnc | kUnc | kUc,
                    .lc = 108,
                    .lnc = 114,
                    .unc = 126,
                    .uc = 132,
                    .nominal = 120};
  return {cpu_temp, inlet, fan1, fan2, p12v};
}

std::vector<DiscreteSensor> DiscreteSensors() {
  return {
      {.number = 0x50,
       .entity_id = 0x0a,
       .entity_instance = 1,
       .sensor_type = 0x08,
       .name = "PSU1 Status",
       .states = 0x000f,
       .initial_bit = 0},
      {.number = 0x51,
       .entity_id = 0x0a,
       .entity_instance = 2,
       .sensor_type = 0x08,
       .name = "PSU2 Status",
       .states = 0x000f,
       .initial_bit = 0},
      {.number = 0x60,
       .entity_id = 0x03,
       .entity_instance = 1,
       .sensor_type = 0x07,
       .name = "CPU1 Status",
       .states = 0x0083,
       .initial_bit = 7},
      {.number = 0x70,
       .entity_id = 0x20,
       .entity_instance = 1,
       .sensor_type = 0x0c,
       .name = "DIMM A1",
       .states = 0x0043,
       .initial_bit = 6},
      {.number = 0x80,
       .entity_id = 0x04,
       .entity_instance = 1,
       .sensor_type = 0x0d,
       .name = "Disk 0",
       .states = 0x0007,
       .initial_bit = 0},
  };
}

std::string ThresholdArgs(const AnalogSensor& s) {
  // sensor_set_threshold takes the enabled set as six 0/1 characters, UNR
  // leftmost, then the raw values in the same order.
  std::string enabled;
  for (int bit = 5; bit >= 0; --bit) enabled += (s.thresholds >> bit) & 1 ? '1' : '0';
  return enabled + " " + std::to_string(s.unr) + " " + std::to_string(s.uc) + " " +
         std::to_string(s.unc) + " " + std::to_string(s.lnr) + " " + std::to_string(s.lc) + " " +
         std::to_string(s.lnc);
}

std::string EventSupport(uint16_t mask) {
  const std::string bits = EventBits(mask);
  return "enable scanning per-state " + bits + " " + bits + " " + bits + " " + bits;
}

std::string BuildEmu() {
  std::string emu =
      "# HAI test BMC (hwcheck/bmc/ipmi_sim_fixture.cc)\n"
      "mc_setbmc 0x20\n"
      "mc_add 0x20 0 no-device-sdrs 0x23 9 8 0x9f 0x1291 0xf02\n"
      "sel_enable 0x20 1000 0x0a\n";
  for (const AnalogSensor& s : AnalogSensors()) {
    const std::string num = " " + std::to_string(s.number);
    emu += "main_sdr_add 0x20 " + HexBytes(FullSensorRecord(s)) + "\n";
    emu += "sensor_add 0x20 0" + num + " " + std::to_string(s.sensor_type) + " 0x01\n";
    emu += "sensor_set_threshold 0x20 0" + num + " settable " + ThresholdArgs(s) + "\n";
    emu += "sensor_set_event_support 0x20 0" + num + " " +
           EventSupport(ThresholdEventMask(s.thresholds)) + "\n";
    emu += "sensor_set_value 0x20 0" + num + " " + std::to_string(s.nominal) + " 0\n";
  }
  for (const DiscreteSensor& s : DiscreteSensors()) {
    const std::string num = " " + std::to_string(s.number);
    emu += "main_sdr_add 0x20 " + HexBytes(FullSensorRecord(s)) + "\n";
    emu += "sensor_add 0x20 0" + num + " " + std::to_string(s.sensor_type) + " 0x6f\n";
    emu += "sensor_set_event_support 0x20 0" + num + " " + EventSupport(s.states) + "\n";
    if (s.initial_bit >= 0)
      emu += "sensor_set_bit 0x20 0" + num + " " + std::to_string(s.initial_bit) + " 1 0\n";
  }
  FruIdentity fru{.chassis_part = "HAI-CH-1",
                  .chassis_serial = "CHS0001",
                  .board_manufacturer = "HAI Test Boards",
                  .board_product = "HT-MB8",
                  .board_serial = "BRD0001",
                  .board_part = "HT-MB8-01",
                  .product_manufacturer = "HAI Test Systems",
                  .product_name = "HAI-8N",
                  .product_part = "HAI-8N-A",
                  .product_version = "1.0",
                  .product_serial = "SYS0001"};
  const std::vector<uint8_t> image = FruImage(fru);
  emu +=
      "mc_add_fru_data 0x20 0 " + std::to_string(image.size()) + " data " + HexBytes(image) + "\n";
  emu += "mc_enable 0x20\n";
  return emu;
}

// Reads from the console until its "> " prompt follows what was sent.
Result<std::string> ReadToPrompt(int fd, bool after_newline, Clock::time_point deadline) {
  std::string got;
  for (int reads = 0; reads < 1000; ++reads) {
    const size_t line = got.find('\n');
    if ((!after_newline || line != std::string::npos) && got.size() >= 2 &&
        got.compare(got.size() - 2, 2, "> ") == 0)
      return got;
    const auto left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) break;
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
    char buf[4096];
    ssize_t n = read(fd, buf, sizeof(buf));
    if (n <= 0) return Status::Unavailable("ipmi_sim console closed: " + got);
    got.append(buf, static_cast<size_t>(n));
  }
  return Status::Unavailable("ipmi_sim console gave no prompt: " + got);
}

}  // namespace

int FreeLoopbackPort(bool udp) {
  int fd = socket(AF_INET, (udp ? SOCK_DGRAM : SOCK_STREAM) | SOCK_CLOEXEC, 0);
  if (fd < 0) return 0;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  int port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0)
    port = ntohs(addr.sin_port);
  close(fd);
  return port;
}

std::string IpmiSim::MissingTools() {
  std::string missing;
  for (const char* tool : {"ipmi_sim", "ipmitool"})
    if (!OnPath(tool)) missing += std::string(missing.empty() ? "" : ", ") + tool + " not found";
  return missing;
}

Result<std::unique_ptr<IpmiSim>> IpmiSim::Start(const Options& options) {
  std::unique_ptr<IpmiSim> sim(new IpmiSim(options));
  std::string templ = (std::filesystem::temp_directory_path() / "hai-ipmi-sim-XXXXXX").string();
  if (mkdtemp(templ.data()) == nullptr)
    return Status::Internal(std::string("mkdtemp: ") + strerror(errno));
  sim->dir_ = templ;
  sim->port_ = FreeLoopbackPort(true);
  sim->console_port_ = FreeLoopbackPort(false);
  if (sim->port_ == 0 || sim->console_port_ == 0)
    return Status::Unavailable("no free loopback port");
  HAI_RETURN_IF_ERROR(sim->WriteConfig());
  HAI_RETURN_IF_ERROR(sim->Launch());
  HAI_RETURN_IF_ERROR(sim->WaitReady());
  return sim;
}

IpmiSim::~IpmiSim() {
  Stop();
  if (!dir_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
}

Status IpmiSim::WriteConfig() {
  // Loopback only; every privilege may log in with none or MD5 (lanplus uses
  // RAKP regardless); the console is a loopback telnet-style command port.
  std::string lan = "name \"hai\"\nset_working_mc 0x20\n  startlan 1\n";
  lan += "    addr " + host_ + " " + std::to_string(port_) + "\n";
  lan += "    priv_limit admin\n";
  for (const char* level : {"callback", "user", "operator", "admin"})
    lan += std::string("    allowed_auths_") + level + " none md5\n";
  lan += "    guid a123456789abcdefa123456789abcdef\n  endlan\n";
  lan += "user 2 true \"" + options_.user + "\" \"" + options_.password + "\" admin 10 none md5\n";
  lan += "console " + host_ + " " + std::to_string(console_port_) + "\n";
  std::filesystem::create_directories(dir_ + "/state");
  HAI_RETURN_IF_ERROR(WriteFile(dir_ + "/lan.conf", lan, 0600));
  HAI_RETURN_IF_ERROR(WriteFile(dir_ + "/bmc.emu", BuildEmu(), 0600));
  return WriteFile(dir_ + "/password", options_.password, 0600);
}

Status IpmiSim::Launch() {
  const std::string conf = dir_ + "/lan.conf", emu = dir_ + "/bmc.emu", state = dir_ + "/state",
                    log = dir_ + "/ipmi_sim.log";
  // Built before fork: the child only calls async-signal-safe functions.
  std::vector<const char*> argv = {"ipmi_sim", "-c",          conf.c_str(), "-f",   emu.c_str(),
                                   "-s",       state.c_str(), "-n",         nullptr};
  int null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
  int log_fd = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (null_fd < 0 || log_fd < 0) {
    if (null_fd >= 0) close(null_fd);
    if (log_fd >= 0) close(log_fd);
    return Status::Internal("cannot open /dev/null or " + log);
  }
  const pid_t parent = getpid();
  pid_t pid = fork();
  if (pid < 0) {
    close(null_fd);
    close(log_fd);
    return Status::Internal(std::string("fork: ") + strerror(errno));
  }
  if (pid == 0) {
    // Dies with the test process, even when the test crashes.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(127);
    dup2(null_fd, 0);
    dup2(log_fd, 1);
    dup2(log_fd, 2);
    execvp("ipmi_sim", const_cast<char* const*>(argv.data()));
    _exit(127);
  }
  close(null_fd);
  close(log_fd);
  pid_ = pid;
  return Status::Ok();
}

Status IpmiSim::WaitReady() {
  accel::SubprocessRunner runner;
  const std::vector<std::string> argv = {"ipmitool",
                                         "-I",
                                         "lanplus",
                                         "-C",
                                         "3",
                                         "-N",
                                         "1",
                                         "-R",
                                         "1",
                                         "-H",
                                         host_,
                                         "-p",
                                         std::to_string(port_),
                                         "-U",
                                         options_.user,
                                         "-f",
                                         dir_ + "/password",
                                         "mc",
                                         "info"};
  const auto deadline = Clock::now() + options_.ready_timeout;
  std::string last;
  for (int attempt = 0; attempt < 100 && Clock::now() < deadline; ++attempt) {
    int raw = 0;
    if (waitpid(pid_, &raw, WNOHANG) == pid_) {
      pid_ = -1;
      return Status::Unavailable("ipmi_sim exited at start: " + ReadLog(dir_ + "/ipmi_sim.log"));
    }
    auto out = runner.Run(argv, milliseconds(3000));
    if (out.ok() && out->exit_code == 0) return Status::Ok();
    last = out.ok() ? out->stderr_text : out.status().message();
    std::this_thread::sleep_for(milliseconds(100));
  }
  return Status::Unavailable("ipmi_sim did not answer mc info: " + last +
                             ReadLog(dir_ + "/ipmi_sim.log"));
}

void IpmiSim::Stop() {
  if (pid_ <= 0) return;
  kill(pid_, SIGTERM);
  for (int i = 0; i < 30; ++i) {
    if (waitpid(pid_, nullptr, WNOHANG) == pid_) {
      pid_ = -1;
      return;
    }
    std::this_thread::sleep_for(milliseconds(50));
  }
  kill(pid_, SIGKILL);
  waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

Status IpmiSim::Console(const std::string& command) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return Status::Internal(std::string("socket: ") + strerror(errno));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(console_port_));
  inet_pton(AF_INET, host_.c_str(), &addr.sin_addr);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    close(fd);
    return Status::Unavailable(std::string("ipmi_sim console: ") + strerror(errno));
  }
  const auto deadline = Clock::now() + milliseconds(5000);
  // The greeting (telnet option bytes, then the prompt).
  auto greeting = ReadToPrompt(fd, false, deadline);
  if (!greeting.ok()) {
    close(fd);
    return greeting.status();
  }
  const std::string line = command + "\n";
  if (write(fd, line.data(), line.size()) != static_cast<ssize_t>(line.size())) {
    close(fd);
    return Status::Unavailable("ipmi_sim console: short write");
  }
  auto answer = ReadToPrompt(fd, true, deadline);
  close(fd);
  if (!answer.ok()) return answer.status();
  const size_t error = answer->find("**");
  if (error != std::string::npos)
    return Status::InvalidArgument("ipmi_sim refused `" + command + "`: " +
                                   answer->substr(error, answer->find('\n', error) - error));
  return Status::Ok();
}

Status IpmiSim::SetSensorValue(uint8_t sensor, uint8_t raw) {
  return Console("sensor_set_value 0x20 0 " + std::to_string(sensor) + " " + std::to_string(raw) +
                 " 1");
}

Status IpmiSim::SetSensorBit(uint8_t sensor, int bit, bool on) {
  return Console("sensor_set_bit 0x20 0 " + std::to_string(sensor) + " " + std::to_string(bit) +
                 (on ? " 1" : " 0") + " 1");
}

}  // namespace hai::hwcheck::bmc::sim
