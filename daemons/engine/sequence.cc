#include "daemons/engine/sequence.h"

#include <algorithm>

#include "daemons/engine/logprobs.h"

namespace hai::engine {
namespace {

// The ids that end a sequence, which min_tokens keeps the sampler from picking.
std::vector<int32_t> StopIds(const SamplingParams& params, const SequenceRules& rules) {
  std::vector<int32_t> ids = params.stop_token_ids;
  if (!params.ignore_eos) ids.insert(ids.end(), rules.eos_ids.begin(), rules.eos_ids.end());
  return ids;
}

}  // namespace

Sequence::Sequence(GenerationRequest request, EventSink sink, const SequenceRules* rules,
                   int64_t arrival_ms_in)
    : arrival_ms(arrival_ms_in),
      request_(std::move(request)),
      sink_(std::move(sink)),
      rules_(rules),
      tokens_(request_.prompt),
      sampler_(request_.sampling, request_.prompt, StopIds(request_.sampling, *rules)),
      decoder_(rules->tokenizer, request_.sampling.skip_special_tokens),
      stop_matcher_(request_.sampling.stop, request_.sampling.include_stop_str_in_output) {}

void Sequence::Preempt() {
  cache_.reset();
  num_computed_ = 0;
  // Prompt log-probabilities not yet sent are recomputed from the start.
  if (!prompt_logprobs_sent_) prompt_logprobs_.clear();
}

int Sequence::PromptTopN() const {
  if (request_.prompt_logprobs < 0 || prompt_logprobs_sent_) return -1;
  return num_computed_ < prompt_len() ? request_.prompt_logprobs : -1;
}

void Sequence::OnComputed(int64_t n, bool asked_prompt_logprobs,
                          const transformer::StepOutput& output) {
  if (asked_prompt_logprobs) {
    // The model scores every token of a chunk but its first; the first comes
    // from the previous chunk's last logits, and the prompt's very first token
    // has no context at all: logprob 0, no alternatives.
    if (num_computed_ == 0) prompt_logprobs_.push_back({tokens_[0], 0.0f, {}});
    prompt_logprobs_.insert(prompt_logprobs_.end(), output.prompt_logprobs.begin(),
                            output.prompt_logprobs.end());
  }
  num_computed_ += n;
  if (asked_prompt_logprobs && num_computed_ < prompt_len() && !output.logits.empty()) {
    prompt_logprobs_.push_back(LogprobOf(output.logits, tokens_[static_cast<size_t>(num_computed_)],
                                         request_.prompt_logprobs));
  }
}

bool Sequence::IsEos(int32_t token) const {
  return !request_.sampling.ignore_eos &&
         std::find(rules_->eos_ids.begin(), rules_->eos_ids.end(), token) != rules_->eos_ids.end();
}

bool Sequence::IsStopTokenId(int32_t token) const {
  const auto& ids = request_.sampling.stop_token_ids;
  return std::find(ids.begin(), ids.end(), token) != ids.end();
}

void Sequence::Fill(GenerationEvent& event) const {
  event.prompt_tokens = prompt_len();
  event.completion_tokens = num_outputs_;
}

std::string Sequence::DecodeToken(int32_t token, bool may_stop, FinishReason* finish,
                                  std::string* stop_reason) {
  StopMatcher::Outcome outcome = stop_matcher_.Push(decoder_.Push(token), may_stop);
  if (outcome.stop && *finish == FinishReason::kNone) {
    *finish = FinishReason::kStop;
    *stop_reason = *outcome.stop;
    stopped_by_string_ = true;
  }
  return std::move(outcome.text);
}

// At the end of a sequence: the decoder's incomplete bytes, then whatever
// the stop matcher still holds.
std::string Sequence::DrainText(bool may_stop, FinishReason* finish, std::string* stop_reason) {
  if (stopped_by_string_) return {};
  StopMatcher::Outcome outcome = stop_matcher_.Push(decoder_.Flush(), may_stop);
  if (outcome.stop) {
    *finish = FinishReason::kStop;
    *stop_reason = *outcome.stop;
    stopped_by_string_ = true;
    return std::move(outcome.text);
  }
  return outcome.text + stop_matcher_.Flush();
}

GenerationEvent Sequence::OnSampled(const SampledToken& sampled) {
  GenerationEvent event;
  const int32_t token = sampled.token;
  tokens_.push_back(token);
  ++num_outputs_;
  event.tokens.push_back(token);
  if (sampled.logprob) event.logprobs.push_back(*sampled.logprob);
  if (request_.prompt_logprobs >= 0 && !prompt_logprobs_sent_) {
    event.prompt_logprobs = std::move(prompt_logprobs_);
    prompt_logprobs_.clear();
    prompt_logprobs_sent_ = true;
  }
  // Like vLLM, nothing stops a sequence before min_tokens outputs exist.
  const bool may_stop = num_outputs_ >= request_.sampling.min_tokens;
  FinishReason finish = FinishReason::kNone;
  if (may_stop && IsEos(token)) {
    finish = FinishReason::kStop;
  } else if (may_stop && IsStopTokenId(token)) {
    finish = FinishReason::kStop;
    event.stop_reason = std::to_string(token);
    event.stop_token_id = token;
  }
  // A stop token's own text is left out unless asked for.
  if (finish == FinishReason::kNone || request_.sampling.include_stop_str_in_output)
    event.text = DecodeToken(token, may_stop, &finish, &event.stop_reason);
  if (finish == FinishReason::kNone &&
      (num_outputs_ >= request_.sampling.max_tokens ||
       static_cast<int64_t>(tokens_.size()) >= rules_->max_context))
    finish = FinishReason::kLength;
  if (finish != FinishReason::kNone) {
    event.text += DrainText(may_stop, &finish, &event.stop_reason);
    finished = true;
  }
  event.finish = finish;
  Fill(event);
  return event;
}

GenerationEvent Sequence::FinishWithout(FinishReason reason) {
  GenerationEvent event;
  if (reason != FinishReason::kAbort) {
    const bool may_stop = num_outputs_ >= request_.sampling.min_tokens;
    event.text = DrainText(may_stop, &reason, &event.stop_reason);
  }
  event.finish = reason;
  finished = true;
  cache_.reset();
  Fill(event);
  return event;
}

}  // namespace hai::engine
