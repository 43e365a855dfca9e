#pragma once

#include "installer/hai-install/system.h"

namespace hai::install {

// The host itself: commands are spawned for real, live values go to /proc
// and /sys. Not thread-safe (hai-install is single-threaded).
class RealSystem : public System {
 public:
  using System::Run;
  Result<CommandResult> Run(const std::vector<std::string>& argv,
                            const std::string& input) override;
  Result<std::string> ReadLive(const std::string& path) override;
  Status WriteLive(const std::string& path, const std::string& value) override;
  Result<std::vector<std::string>> ListLive(const std::string& dir) override;
  bool InContainer() override;
  std::string HostAddress() override;
};

}  // namespace hai::install
