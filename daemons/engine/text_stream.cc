// Server-sent events for chat and completions (the streamed half of
// TextGeneration).
#include "daemons/engine/text_generation.h"
#include "lib/log/log.h"

namespace hai::engine {

using nlohmann::json;

http::Response TextGeneration::Stream(http::Request& req,
                                      std::shared_ptr<RunningGeneration> run) const {
  std::string request_id = req.request_id;
  auto res = http::Response::Stream("text/event-stream",
                                    [this, run, request_id](const http::StreamWrite& write) {
                                      return Produce(*run, write, request_id);
                                    });
  res.AddHeader("Cache-Control", "no-cache");
  return res;
}

bool TextGeneration::Produce(RunningGeneration& run, const http::StreamWrite& write,
                             const std::string& request_id) const {
  const TextRequest& r = run.request;
  GenerationSession& session = *run.session;
  auto gone = [&] {
    session.CancelAll();
    log::Info("client went away", {{"request_id", request_id}, {"completion_id", run.header.id}});
    return false;
  };
  if (r.chat) {
    // OpenAI streams the role first, once per choice.
    for (size_t i = 0; i < run.choices.size(); ++i) {
      json delta = {{"role", "assistant"}, {"content", ""}};
      if (!write(SseEvent(ChatChunk(run.header, static_cast<int>(i), std::move(delta), nullptr,
                                    FinishReason::kNone, r.include_usage))))
        return gone();
    }
  }
  while (!session.done()) {
    if (deps_.stopping->load()) {
      session.CancelAll();
      return false;
    }
    auto item = session.Next(kPollInterval);
    if (!item) {
      if (!write("")) return gone();  // asks whether the client is still there
      continue;
    }
    if (!run.Apply(item->index, item->event)) {
      session.CancelAll();
      // As vLLM does: the error as one event, then the end of the stream.
      return write(SseEvent(ErrorJson(FromStatus(run.error)))) && write(kSseDone);
    }
    std::string chunks = Chunks(run, item->index, item->event);
    if (!chunks.empty() && !write(chunks)) return gone();
  }
  if (r.include_usage && !write(SseEvent(UsageChunk(run.header, r.chat, run.usage()))))
    return gone();
  return write(kSseDone) || gone();
}

std::string TextGeneration::Chunks(RunningGeneration& run, int index,
                                   const GenerationEvent& event) const {
  const TextRequest& r = run.request;
  const tokenizer::Tokenizer& tok = *deps_.ckpt->tokenizer;
  ChoiceProgress& c = run.choices[static_cast<size_t>(index)];
  const bool usage_field = r.include_usage;
  std::string out;
  if (!r.chat && !c.started) {
    c.started = true;
    if (r.logprobs >= 0) c.stream_logprobs = std::make_unique<CompletionLogprobs>(&tok, 0);
    if (r.echo) {
      const SubmittedPrompt& prompt = run.prompts[static_cast<size_t>(c.prompt)];
      json logprobs = nullptr;
      if (c.stream_logprobs) {
        c.stream_logprobs->AddPrompt(prompt.tokens, event.prompt_logprobs);
        logprobs = c.stream_logprobs->Take();
      }
      out += SseEvent(CompletionChunk(run.header, index, prompt.echo_text, logprobs,
                                      FinishReason::kNone, usage_field));
    }
  }
  bool content = !event.text.empty() || (r.logprobs >= 0 && !event.logprobs.empty());
  if (content && r.chat) {
    json logprobs = r.logprobs >= 0 ? ChatLogprobs(tok, event.logprobs) : json(nullptr);
    out += SseEvent(ChatChunk(run.header, index, {{"content", event.text}}, logprobs,
                              FinishReason::kNone, usage_field));
  } else if (content) {
    json logprobs = nullptr;
    if (c.stream_logprobs) {
      for (const auto& lp : event.logprobs) c.stream_logprobs->Add(lp);
      logprobs = c.stream_logprobs->Take();
    }
    out += SseEvent(
        CompletionChunk(run.header, index, event.text, logprobs, FinishReason::kNone, usage_field));
  }
  if (event.finish == FinishReason::kStop || event.finish == FinishReason::kLength) {
    out +=
        r.chat
            ? SseEvent(
                  ChatChunk(run.header, index, json::object(), nullptr, event.finish, usage_field))
            : SseEvent(CompletionChunk(run.header, index, "", nullptr, event.finish, usage_field));
  }
  return out;
}

}  // namespace hai::engine
