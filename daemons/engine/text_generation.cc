#include "daemons/engine/text_generation.h"

#include <chrono>

#include "lib/base/clock.h"
#include "lib/base/random.h"
#include "lib/log/log.h"

namespace hai::engine {

Usage RunningGeneration::usage() const {
  Usage u;
  for (const auto& p : prompts) u.prompt_tokens += static_cast<int>(p.tokens.size());
  for (const auto& c : choices) u.completion_tokens += c.completion_tokens;
  return u;
}

bool RunningGeneration::Apply(int index, const GenerationEvent& event) {
  if (!event.error.ok()) {
    if (error.ok()) error = event.error;
    return false;
  }
  ChoiceProgress& c = choices[static_cast<size_t>(index)];
  c.text += event.text;
  c.logprobs.insert(c.logprobs.end(), event.logprobs.begin(), event.logprobs.end());
  if (!event.prompt_logprobs.empty()) c.prompt_logprobs = event.prompt_logprobs;
  c.completion_tokens = event.completion_tokens;
  if (event.finish == FinishReason::kAbort) {
    // We cancel only sequences nobody reads any more, so an abort reaching a
    // reader came from the engine (shutting down).
    if (error.ok()) error = Status::Unavailable("the engine stopped this request");
    return false;
  }
  if (event.finish != FinishReason::kNone) c.finish = event.finish;
  return true;
}

TextGeneration::TextGeneration(TextGenerationDeps deps)
    : deps_(std::move(deps)), prompts_(deps_.ckpt) {}

http::Response TextGeneration::Chat(http::Request& req) {
  TextRequest parsed;
  if (auto e = ParseChatRequest(req.body, &parsed)) return ErrorResponse(*e);
  return Run(req, std::move(parsed));
}

http::Response TextGeneration::Completions(http::Request& req) {
  TextRequest parsed;
  if (auto e = ParseCompletionRequest(req.body, &parsed)) return ErrorResponse(*e);
  return Run(req, std::move(parsed));
}

SamplingParams TextGeneration::Sampling(const TextRequest& request, int max_tokens) const {
  const auto& defaults = deps_.ckpt->generation;
  SamplingParams s = request.sampling;
  s.temperature = request.temperature.value_or(defaults.temperature);
  s.top_p = request.top_p.value_or(defaults.top_p);
  s.top_k = request.top_k.value_or(defaults.top_k);
  s.max_tokens = max_tokens;
  return s;
}

std::optional<ApiError> TextGeneration::Prepare(RunningGeneration* run,
                                                std::vector<GenerationRequest>* requests) const {
  const TextRequest& r = run->request;
  if (auto e = prompts_.CheckIds(r.sampling.stop_token_ids, "stop_token_ids")) return e;
  if (r.chat) {
    run->prompts.push_back({prompts_.Chat(r.messages), ""});
  } else {
    for (const PromptInput& p : r.prompts) {
      SubmittedPrompt s;
      if (p.is_tokens) {
        if (auto e = prompts_.CheckIds(p.tokens, "prompt")) return e;
        s.tokens = p.tokens;
        if (r.echo) s.echo_text = deps_.ckpt->tokenizer->Decode(p.tokens);
      } else {
        s.tokens = prompts_.Text(p.text);
        if (r.echo) s.echo_text = p.text;
      }
      run->prompts.push_back(std::move(s));
    }
  }
  // OpenAI: completions default to 16 tokens, chat to whatever the context leaves.
  const int default_max = r.chat ? 0 : 16;
  for (size_t p = 0; p < run->prompts.size(); ++p) {
    int max_tokens = 0;
    if (auto e = prompts_.FitContext(static_cast<int>(run->prompts[p].tokens.size()), r.max_tokens,
                                     default_max, r.chat ? "messages" : "prompt", &max_tokens))
      return e;
    if (r.sampling.min_tokens > max_tokens)
      return InvalidRequest("invalid_value",
                            "'min_tokens' (" + std::to_string(r.sampling.min_tokens) +
                                ") exceeds the " + std::to_string(max_tokens) +
                                " tokens the context leaves",
                            "min_tokens");
    for (int j = 0; j < r.n; ++j) {
      GenerationRequest g;
      g.request_id = run->header.id + "-" + std::to_string(p * r.n + j);
      g.prompt = run->prompts[p].tokens;
      g.sampling = Sampling(r, max_tokens);
      // Each of the n samples gets its own stream of randomness.
      if (g.sampling.seed) g.sampling.seed = *g.sampling.seed + static_cast<uint64_t>(j);
      if (r.echo && r.logprobs >= 0) g.prompt_logprobs = r.logprobs;
      requests->push_back(std::move(g));
      ChoiceProgress c;
      c.prompt = static_cast<int>(p);
      run->choices.push_back(std::move(c));
    }
  }
  return std::nullopt;
}

http::Response TextGeneration::Run(http::Request& req, TextRequest parsed) {
  if (auto e = CheckModelName(parsed.model, deps_.served_name)) return ErrorResponse(*e);
  auto run = std::make_shared<RunningGeneration>();
  run->request = std::move(parsed);
  run->header.id = (run->request.chat ? "chatcmpl-" : "cmpl-") + RandomToken(12);
  run->header.created = SystemClock::Get()->NowMs() / 1000;
  run->header.model = deps_.served_name;
  std::vector<GenerationRequest> requests;
  if (auto e = Prepare(run.get(), &requests)) return ErrorResponse(*e);
  if (deps_.stopping->load())
    return ErrorResponse(FromStatus(Status::Unavailable("the engine is shutting down")));
  run->session = std::make_unique<GenerationSession>(deps_.loop);
  if (Status st = run->session->Submit(std::move(requests)); !st.ok())
    return ErrorResponse(FromStatus(st));
  log::Info("generation started", {{"request_id", req.request_id},
                                   {"completion_id", run->header.id},
                                   {"prompt_tokens", run->usage().prompt_tokens},
                                   {"choices", static_cast<int>(run->choices.size())},
                                   {"stream", run->request.stream ? "true" : "false"}});
  if (run->request.stream) return Stream(req, std::move(run));
  return Collect(req, run.get());
}

nlohmann::json TextGeneration::ChoiceJson(const RunningGeneration& run, int index) const {
  const ChoiceProgress& c = run.choices[static_cast<size_t>(index)];
  const TextRequest& r = run.request;
  const tokenizer::Tokenizer& tok = *deps_.ckpt->tokenizer;
  if (r.chat) {
    nlohmann::json logprobs = r.logprobs >= 0 ? ChatLogprobs(tok, c.logprobs) : nullptr;
    return ChatChoice(index, c.text, logprobs, c.finish);
  }
  const SubmittedPrompt& prompt = run.prompts[static_cast<size_t>(c.prompt)];
  nlohmann::json logprobs = nullptr;
  if (r.logprobs >= 0) {
    CompletionLogprobs builder(&tok, 0);
    if (r.echo) builder.AddPrompt(prompt.tokens, c.prompt_logprobs);
    for (const auto& lp : c.logprobs) builder.Add(lp);
    logprobs = builder.Take();
  }
  return CompletionChoice(index, prompt.echo_text + c.text, logprobs, c.finish);
}

http::Response TextGeneration::Collect(http::Request& req, RunningGeneration* run) const {
  GenerationSession& session = *run->session;
  auto next_look = std::chrono::steady_clock::now() + kPollInterval;
  while (!session.done()) {
    auto item = session.Next(kPollInterval);
    // Events may arrive without pause, so look at the client on a clock.
    if (deps_.stopping->load())
      return ErrorResponse(FromStatus(Status::Unavailable("the engine is shutting down")));
    if (!item || std::chrono::steady_clock::now() >= next_look) {
      next_look = std::chrono::steady_clock::now() + kPollInterval;
      if (req.client_gone && req.client_gone()) {
        session.CancelAll();
        log::Info("client went away",
                  {{"request_id", req.request_id}, {"completion_id", run->header.id}});
        return ErrorResponse({499, "client_closed_request", "the client closed the connection"});
      }
    }
    if (!item) continue;
    if (!run->Apply(item->index, item->event)) {
      session.CancelAll();
      return ErrorResponse(FromStatus(run->error));
    }
  }
  nlohmann::json choices = nlohmann::json::array();
  for (size_t i = 0; i < run->choices.size(); ++i)
    choices.push_back(ChoiceJson(*run, static_cast<int>(i)));
  return http::Response::Json(
      200, CompletionBody(run->header, run->request.chat, std::move(choices), run->usage()));
}

}  // namespace hai::engine
