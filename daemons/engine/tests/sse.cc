#include "daemons/engine/tests/sse.h"

#include "lib/http/client.h"

namespace hai::engine::testing {
namespace {

// Takes complete events off the front of `buffer`.
void Drain(std::string* buffer, SseStream* out) {
  for (size_t end; (end = buffer->find("\n\n")) != std::string::npos;) {
    std::string event = buffer->substr(0, end);
    buffer->erase(0, end + 2);
    if (!out->framing_error.empty()) continue;
    if (out->done) {
      out->framing_error = "an event after [DONE]: " + event;
    } else if (event.rfind("data: ", 0) != 0 || event.find('\n') != std::string::npos) {
      out->framing_error = "not a single data line: " + event;
    } else if (event == "data: [DONE]") {
      out->done = true;
    } else {
      auto json = nlohmann::json::parse(event.substr(6), nullptr, false);
      if (json.is_discarded() || !json.is_object())
        out->framing_error = "not a JSON object: " + event;
      else
        out->events.push_back(std::move(json));
    }
  }
}

}  // namespace

SseStream PostStream(int port, const std::string& path, const nlohmann::json& body,
                     int hang_up_after) {
  SseStream out;
  std::string buffer;
  http::Client client("127.0.0.1", port, 120000);
  auto r = client.SendStreaming("POST", path, body.dump(), {}, [&](std::string_view data) {
    out.raw.append(data);
    buffer.append(data);
    Drain(&buffer, &out);
    return hang_up_after <= 0 || static_cast<int>(out.events.size()) < hang_up_after;
  });
  out.transport_ok = r.ok();
  if (r.ok()) {
    out.status = r->status;
    out.content_type = r->Header("Content-Type");
    if (!buffer.empty() && out.framing_error.empty())
      out.framing_error = "trailing bytes without a blank line: " + buffer;
    if (!out.done && out.framing_error.empty() && out.status == 200)
      out.framing_error = "no [DONE] at the end";
  }
  return out;
}

std::vector<std::string> StreamedTexts(const SseStream& stream, bool chat) {
  std::vector<std::string> texts;
  for (const auto& event : stream.events) {
    for (const auto& choice : event["choices"]) {
      size_t index = choice["index"].get<size_t>();
      if (texts.size() <= index) texts.resize(index + 1);
      if (chat) {
        const auto& delta = choice["delta"];
        if (delta.contains("content") && delta["content"].is_string())
          texts[index] += delta["content"].get<std::string>();
      } else {
        texts[index] += choice["text"].get<std::string>();
      }
    }
  }
  return texts;
}

}  // namespace hai::engine::testing
