#include "lib/engine_profile/engine_profile.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <utility>

namespace hai::engine_profile {
namespace {

constexpr std::array<std::pair<Category, std::string_view>, 6> kCategoryNames{{
    {Category::kTextGeneration, "text-generation"},
    {Category::kEmbedding, "embedding"},
    {Category::kRerank, "rerank"},
    {Category::kImageGeneration, "image-generation"},
    {Category::kSpeechGeneration, "speech-generation"},
    {Category::kVideoGeneration, "video-generation"},
}};

// strtoll and strtod skip leading spaces and accept "inf", "0x…": a value
// must start like a plain decimal number.
bool IsDigitOrSign(char c) { return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.'; }

}  // namespace

std::string_view CategoryName(Category c) {
  for (const auto& [category, name] : kCategoryNames)
    if (category == c) return name;
  return "unknown";
}

std::optional<Category> ParseCategory(std::string_view name) {
  for (const auto& [category, category_name] : kCategoryNames)
    if (category_name == name) return category;
  return std::nullopt;
}

std::string_view ParamKindName(ParamKind k) {
  switch (k) {
    case ParamKind::kString:
      return "string";
    case ParamKind::kInteger:
      return "integer";
    case ParamKind::kNumber:
      return "number";
  }
  return "unknown";
}

Status CheckParamValue(const ParamSpec& spec, std::string_view value) {
  if (value.empty() || value.size() > 4096)
    return Status::InvalidArgument("expected 1 to 4096 characters");
  for (char ch : value) {
    auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c == 0x7f) return Status::InvalidArgument("contains a control character");
  }
  std::string text(value);
  char* end = nullptr;
  errno = 0;
  switch (spec.kind) {
    case ParamKind::kString:
      return Status::Ok();
    case ParamKind::kInteger:
      std::strtoll(text.c_str(), &end, 10);
      if (end != text.c_str() + text.size() || errno == ERANGE || !IsDigitOrSign(text.front()))
        return Status::InvalidArgument("expected an integer, got \"" + text + "\"");
      return Status::Ok();
    case ParamKind::kNumber: {
      double d = std::strtod(text.c_str(), &end);
      if (end != text.c_str() + text.size() || errno == ERANGE || !std::isfinite(d) ||
          !IsDigitOrSign(text.front()) || text.find_first_of("xX") != std::string::npos)
        return Status::InvalidArgument("expected a number, got \"" + text + "\"");
      return Status::Ok();
    }
  }
  return Status::Ok();
}

bool EngineProfile::SupportsVendor(accel::Vendor v) const {
  return std::find(vendors.begin(), vendors.end(), v) != vendors.end();
}

bool EngineProfile::ServesCategory(Category c) const {
  return std::find(categories.begin(), categories.end(), c) != categories.end();
}

const EngineProfile* FindProfile(const std::vector<EngineProfile>& profiles,
                                 std::string_view name) {
  for (const EngineProfile& p : profiles)
    if (p.name == name) return &p;
  return nullptr;
}

}  // namespace hai::engine_profile
