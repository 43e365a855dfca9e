#include "lib/accel/hygon_adapter.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <nlohmann/json.hpp>

#include "lib/accel/tool_text.h"

namespace hai::accel {
namespace {

using nlohmann::json;

// rocm-smi prints every value as a JSON string.
std::optional<double> NumberAt(const json& card, const char* key) {
  auto it = card.find(key);
  if (it == card.end()) return std::nullopt;
  if (it->is_number()) return it->get<double>();
  if (it->is_string()) return ParseToolNumber(it->get_ref<const std::string&>());
  return std::nullopt;
}

double First(const json& card, std::initializer_list<const char*> keys) {
  for (const char* key : keys)
    if (std::optional<double> v = NumberAt(card, key)) return *v;
  return -1;
}

}  // namespace

Result<std::vector<HygonCard>> ParseHygonSmiJson(std::string_view text) {
  json root = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (root.is_discarded() || !root.is_object())
    return Status::InvalidArgument("hy-smi: output is not a JSON object");
  std::vector<HygonCard> cards;
  for (const auto& [key, card] : root.items()) {
    if (!key.starts_with("card") || !card.is_object()) continue;
    HygonCard c;
    std::string_view digits = std::string_view(key).substr(4);
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), c.card);
    if (ec != std::errc() || end != digits.data() + digits.size()) continue;
    if (auto it = card.find("Card Series"); it != card.end() && it->is_string())
      c.series = it->get<std::string>();
    double total = First(card, {"vram Total Memory (MiB)"});
    double used = First(card, {"vram Total Used Memory (MiB)"});
    c.vram_total_mib = total < 0 ? -1 : static_cast<int64_t>(std::llround(total));
    c.vram_used_mib = used < 0 ? -1 : static_cast<int64_t>(std::llround(used));
    c.use_percent = First(card, {"DCU use (%)", "HCU use (%)"});
    c.temperature_c =
        First(card, {"Temperature (Sensor junction) (C)", "Temperature (Sensor core) (C)",
                     "Temperature (Sensor edge) (C)"});
    c.power_w = First(card, {"Average Graphics Package Power (W)"});
    cards.push_back(std::move(c));
  }
  if (cards.empty() && !root.empty())
    return Status::InvalidArgument("hy-smi: no \"cardN\" objects in the output");
  std::sort(cards.begin(), cards.end(),
            [](const HygonCard& a, const HygonCard& b) { return a.card < b.card; });
  return cards;
}

Status HygonAdapterConfig::Validate() const {
  if (tools.empty()) return Status::InvalidArgument("no hy-smi/rocm-smi tool named", "tools");
  for (const std::string& t : tools)
    if (t.empty()) return Status::InvalidArgument("a tool path is empty", "tools");
  if (timeout.count() <= 0) return Status::InvalidArgument("timeout must be positive", "timeout");
  return Status::Ok();
}

Status HygonAdapter::Enrich(std::vector<Device>* devices, CommandRunner& runner) const {
  HAI_RETURN_IF_ERROR(config_.Validate());
  Result<std::string> text = Status::Unavailable("hy-smi not found");
  for (const std::string& tool : config_.tools) {
    text = RunForStdout(
        runner, {tool, "--showmeminfo", "vram", "--showuse", "--showtemp", "--showpower", "--json"},
        config_.timeout);
    if (text.ok() || text.status().message() != tool + " not found") break;
  }
  if (!text.ok()) return text.status();
  HAI_ASSIGN_OR_RETURN(std::vector<HygonCard> cards, ParseHygonSmiJson(*text));

  std::vector<Device*> dcus;  // PCI bus order, as EnumeratePciAccelerators sorts them
  for (Device& d : *devices)
    if (d.vendor == Vendor::kHygon) dcus.push_back(&d);
  std::sort(dcus.begin(), dcus.end(),
            [](const Device* a, const Device* b) { return a->bus_id < b->bus_id; });
  for (const HygonCard& c : cards) {
    if (c.card < 0 || c.card >= static_cast<int>(dcus.size())) continue;
    Device* d = dcus[c.card];
    d->index = c.card;
    if (!c.series.empty()) d->model = c.series;
    d->memory_mib = c.vram_total_mib;
    d->memory_used_mib = c.vram_used_mib;
    d->utilization = c.use_percent;
    d->temperature_c = c.temperature_c;
    d->power_w = c.power_w;
    d->health = Health::kOk;
  }
  return Status::Ok();
}

std::map<std::string, std::string> HygonAdapter::VisibleDevicesEnv(
    const std::vector<int>& physical_indices) const {
  return {{"HIP_VISIBLE_DEVICES", JoinIndices(physical_indices)}};
}

std::vector<std::string> HygonAdapter::KubernetesResourceNames(std::string_view) const {
  return {"hygon.com/dcunum", "hygon.com/dcumem", "hygon.com/dcucores"};
}

}  // namespace hai::accel
