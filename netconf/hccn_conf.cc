#include "netconf/hccn_conf.h"

#include <cctype>

namespace hai::netconf {

HccnConf::Line HccnConf::ParseLine(std::string text) {
  Line line;
  line.text = std::move(text);
  size_t eq = line.text.find('=');
  if (line.text.empty() || line.text[0] == '#' || eq == std::string::npos) return line;
  std::string_view name(line.text.data(), eq);
  size_t us = name.rfind('_');
  if (us == std::string_view::npos || us == 0 || us + 1 == name.size()) return line;
  int device = 0;
  for (char c : name.substr(us + 1)) {
    if (!std::isdigit(static_cast<unsigned char>(c)) || device > 1000) return line;
    device = device * 10 + (c - '0');
  }
  line.key = std::string(name.substr(0, us));
  line.device = device;
  line.value = line.text.substr(eq + 1);
  return line;
}

HccnConf HccnConf::Parse(std::string_view text) {
  HccnConf conf;
  conf.final_newline_ = text.empty() || text.back() == '\n';
  size_t start = 0;
  while (start < text.size()) {
    size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) nl = text.size();
    conf.lines_.push_back(ParseLine(std::string(text.substr(start, nl - start))));
    start = nl + 1;
  }
  return conf;
}

std::string HccnConf::Render() const {
  std::string out;
  for (size_t i = 0; i < lines_.size(); ++i) {
    out += lines_[i].text;
    if (i + 1 < lines_.size() || final_newline_) out += '\n';
  }
  return out;
}

std::optional<std::string> HccnConf::Get(int device, std::string_view key) const {
  std::optional<std::string> value;
  for (const Line& l : lines_)  // the last one wins, as for any line-based config
    if (l.device == device && l.key == key) value = l.value;
  return value;
}

void HccnConf::Set(int device, const std::string& key, const std::string& value) {
  Line line = ParseLine(key + "_" + std::to_string(device) + "=" + value);
  size_t after = lines_.size();
  bool found = false;
  for (size_t i = 0; i < lines_.size(); ++i) {
    if (lines_[i].device == device && lines_[i].key == key) {
      lines_[i] = line;
      found = true;
    }
    if (lines_[i].device == device) after = i + 1;
  }
  if (found) return;
  if (after == lines_.size()) final_newline_ = true;
  lines_.insert(lines_.begin() + static_cast<long>(after), std::move(line));
}

std::map<int, std::map<std::string, std::string>> HccnConf::Settings() const {
  std::map<int, std::map<std::string, std::string>> out;
  for (const Line& l : lines_)
    if (l.device >= 0) out[l.device][l.key] = l.value;
  return out;
}

std::map<std::string, std::string> HccnConfKeys(const NpuPort& port) {
  std::map<std::string, std::string> keys = {{"address", port.address},
                                             {"netmask", port.netmask}};
  if (!port.gateway.empty()) keys["gateway"] = port.gateway;
  if (!port.netdetect.empty()) keys["netdetect"] = port.netdetect;
  return keys;
}

}  // namespace hai::netconf
