#include "installer/hai-install/cpu_list.h"

#include <set>
#include <sstream>
#include <vector>

namespace hai::install {
namespace {

bool IsNumber(const std::string& s) {
  return !s.empty() && s.size() <= 5 && s.find_first_not_of("0123456789") == std::string::npos;
}

}  // namespace

Status CheckCpuList(const std::string& text, bool allow_flags) {
  static const std::set<std::string> kFlags = {"nohz", "domain", "managed_irq"};
  std::vector<std::string> parts;
  std::stringstream in(text);
  for (std::string part; std::getline(in, part, ',');) parts.push_back(part);
  if (parts.empty() || text.back() == ',')
    return Status::InvalidArgument("'" + text + "' is not a CPU list (e.g. \"2-15,18\")");
  bool seen_cpu = false;
  for (const std::string& part : parts) {
    if (!seen_cpu && allow_flags && kFlags.contains(part)) continue;
    size_t dash = part.find('-');
    std::string first = part.substr(0, dash);
    std::string last = dash == std::string::npos ? first : part.substr(dash + 1);
    if (!IsNumber(first) || !IsNumber(last))
      return Status::InvalidArgument("'" + text + "': '" + part +
                                     "' is not a CPU number or range (e.g. \"2-15,18\")");
    if (std::stoi(first) > std::stoi(last))
      return Status::InvalidArgument("'" + text + "': range '" + part + "' runs backwards");
    seen_cpu = true;
  }
  if (!seen_cpu) return Status::InvalidArgument("'" + text + "' names no CPUs");
  return Status::Ok();
}

}  // namespace hai::install
