#pragma once

// Test support: a live IPMI BMC on loopback. Starts OpenIPMI's `ipmi_sim`
// (reference/appliance-hw.md §4.3) with a lan.conf and an emulation file
// written into a private temporary directory: user 2 "admin" with the given
// password (administrator), a BMC at 0x20 with a SEL, FRU 0 and these sensors:
//
//   0x30 CPU1 Temp   temperature, UNC 75 / UC 85 / UNR 95 C, reads 40
//   0x31 Inlet Temp  temperature, UNC 42 / UC 48 / UNR 55 C, reads 24
//   0x40 FAN1, 0x41 FAN2   fan, LNR 500 / LC 1000 / LNC 1500 RPM, read 8000 (raw × 100)
//   0x48 P12V        voltage, LC 10.8 / LNC 11.4 / UNC 12.6 / UC 13.2 V, reads 12.0 (raw × 0.1)
//   0x50 PSU1 Status, 0x51 PSU2 Status  power supply (discrete: 0 presence,
//                    1 failure, 2 predictive failure, 3 AC lost), present
//   0x60 CPU1 Status processor (0 IERR, 1 thermal trip, 7 presence), present
//   0x70 DIMM A1     memory (0 correctable ECC, 1 uncorrectable ECC, 6 presence), present
//   0x80 Disk 0      drive slot (0 drive present, 1 drive fault, 2 predictive failure), present
//
// Faults are injected at run time through the simulator's console port, as
// an operator would type them; crossing a threshold with events on writes the
// SEL records a real BMC would. Not thread-safe; one instance per test.

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "lib/base/status.h"

namespace hai::hwcheck::bmc::sim {

class IpmiSim {
 public:
  struct Options {
    std::string user = "admin";
    std::string password = "secret";
    // How long Start() waits for the first `mc info` to answer.
    std::chrono::milliseconds ready_timeout{10000};
  };

  // Both programs present (ipmi_sim and ipmitool on PATH)? "" when yes, else
  // what is missing, for a GTEST_SKIP reason.
  static std::string MissingTools();

  static Result<std::unique_ptr<IpmiSim>> Start(const Options& options);
  static Result<std::unique_ptr<IpmiSim>> Start() { return Start(Options{}); }
  ~IpmiSim();
  IpmiSim(const IpmiSim&) = delete;
  IpmiSim& operator=(const IpmiSim&) = delete;

  const std::string& host() const { return host_; }
  int port() const { return port_; }
  const std::string& user() const { return options_.user; }
  const std::string& password() const { return options_.password; }
  const std::string& dir() const { return dir_; }

  // One console command; its error ("**…" lines) becomes a Status.
  Status Console(const std::string& command);
  // sensor_set_value with event generation: raw reading byte.
  Status SetSensorValue(uint8_t sensor, uint8_t raw);
  // sensor_set_bit with event generation: a discrete state on or off.
  Status SetSensorBit(uint8_t sensor, int bit, bool on);

 private:
  explicit IpmiSim(Options options) : options_(std::move(options)) {}
  Status WriteConfig();
  Status Launch();
  Status WaitReady();
  void Stop();

  Options options_;
  std::string host_ = "127.0.0.1";
  int port_ = 0;
  int console_port_ = 0;
  std::string dir_;
  pid_t pid_ = -1;
};

// A loopback port nothing listens on right now (bound to port 0, then closed).
int FreeLoopbackPort(bool udp);

}  // namespace hai::hwcheck::bmc::sim
