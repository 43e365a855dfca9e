#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace hai::engine::testing {

// A streamed answer read strictly: every event must be exactly
// "data: <JSON object>\n\n", and "data: [DONE]\n\n" must come last.
struct SseStream {
  int status = 0;
  std::string content_type;
  std::vector<nlohmann::json> events;  // the JSON payloads, in order
  bool done = false;                   // [DONE] arrived (and was last)
  std::string framing_error;           // "" when the framing was right
  bool transport_ok = false;           // the body ended normally
  std::string raw;
};

// POSTs `body` and reads the event stream; `hang_up_after` > 0 closes the
// connection once that many events have arrived.
SseStream PostStream(int port, const std::string& path, const nlohmann::json& body,
                     int hang_up_after = 0);

// The text of a chat or completions stream, choice by choice.
std::vector<std::string> StreamedTexts(const SseStream& stream, bool chat);

}  // namespace hai::engine::testing
