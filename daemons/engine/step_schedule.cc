// Which sequences the next step feeds, and how many tokens each: decodes
// first (one token each), then prefill chunks of running sequences, then new
// admissions, all within max_num_batched_tokens and the KV budget.

#include <algorithm>

#include "daemons/engine/step_loop_impl.h"
#include "lib/log/log.h"

namespace hai::engine {

ScheduledChunk StepLoop::Impl::Chunk(Sequence* seq, int64_t tokens) const {
  ScheduledChunk chunk;
  chunk.seq = seq;
  chunk.tokens = tokens;
  chunk.prompt_top_n = seq->PromptTopN();
  // A chunk that ends inside the prompt needs no logits, unless its last
  // logits score the next chunk's first prompt token.
  chunk.want_logits = tokens == seq->pending() || chunk.prompt_top_n >= 0;
  return chunk;
}

std::vector<ScheduledChunk> StepLoop::Impl::Schedule() {
  std::vector<ScheduledChunk> plan;
  int64_t tokens_left = options.max_num_batched_tokens;
  const uint64_t preemptions_before = preemptions;
  std::vector<Sequence*> by_age;
  for (const auto& seq : running) by_age.push_back(seq.get());
  auto still_running = [&](Sequence* seq) {
    return std::any_of(running.begin(), running.end(),
                       [&](const auto& r) { return r.get() == seq; });
  };
  for (bool decodes : {true, false}) {
    for (Sequence* seq : by_age) {
      if (tokens_left == 0) break;
      if ((seq->pending() == 1) != decodes || !still_running(seq)) continue;
      const int64_t tokens = std::min(seq->pending(), tokens_left);
      if (Grow(seq, tokens, &plan, &tokens_left) != Growth::kGrown) continue;
      plan.push_back(Chunk(seq, tokens));
      tokens_left -= tokens;
    }
  }
  // Like vLLM: a step that had to preempt admits nobody new.
  if (preemptions == preemptions_before) Admit(&plan, &tokens_left);
  return plan;
}

// Reserves room for `tokens` more tokens in `seq`'s cache; while the running
// caches then exceed the budget, the youngest sequence is preempted. When
// that is `seq` itself it waits again, or, alone, ends with `length`.
StepLoop::Impl::Growth StepLoop::Impl::Grow(Sequence* seq, int64_t tokens,
                                            std::vector<ScheduledChunk>* plan,
                                            int64_t* tokens_left) {
  if (Status reserved = seq->cache()->Reserve(seq->num_computed() + tokens); !reserved.ok()) {
    log::Warn("cannot grow a KV cache; ending the request",
              {{"request_id", seq->id()}, {"error", reserved.ToString()}});
    Retire(seq, seq->FinishWithout(FinishReason::kLength));
    return Growth::kFinished;
  }
  while (!budget.Holds(KvBudget::Used(running))) {
    Sequence* victim = running.back().get();
    if (victim == seq) {
      if (running.size() == 1) {
        Retire(seq, seq->FinishWithout(FinishReason::kLength));
        return Growth::kFinished;
      }
      Preempt(seq);
      return Growth::kPreempted;
    }
    auto planned = std::find_if(plan->begin(), plan->end(),
                                [&](const ScheduledChunk& c) { return c.seq == victim; });
    if (planned != plan->end()) {
      *tokens_left += planned->tokens;
      plan->erase(planned);
    }
    Preempt(victim);
  }
  return Growth::kGrown;
}

// Takes waiting sequences, oldest first, while max_num_seqs, the token budget
// and the KV budget allow. The cache for the first chunk is reserved before
// the decision, so the check is on real bytes.
void StepLoop::Impl::Admit(std::vector<ScheduledChunk>* plan, int64_t* tokens_left) {
  while (static_cast<int>(running.size()) < options.max_num_seqs && *tokens_left > 0) {
    std::unique_ptr<Sequence> seq;
    {
      std::lock_guard lock(mu);
      if (waiting.empty()) return;
      seq = std::move(waiting.front());
      waiting.pop_front();
    }
    const int64_t tokens = std::min(seq->pending(), *tokens_left);
    seq->SetCache(model->NewCache());
    if (Status reserved = seq->cache()->Reserve(tokens); !reserved.ok()) {
      log::Warn("cannot allocate a KV cache; ending the request",
                {{"request_id", seq->id()}, {"error", reserved.ToString()}});
      GenerationEvent event = seq->FinishWithout(FinishReason::kLength);
      RetireWaiting(std::move(seq), std::move(event));
      continue;
    }
    if (!budget.Holds(KvBudget::Used(running) + seq->cache_bytes())) {
      if (running.empty()) {  // it cannot fit even alone
        GenerationEvent event = seq->FinishWithout(FinishReason::kLength);
        RetireWaiting(std::move(seq), std::move(event));
        continue;
      }
      seq->ReleaseCache();
      std::lock_guard lock(mu);
      waiting.push_front(std::move(seq));
      return;
    }
    const int64_t now = clock->NowMs();
    if (seq->first_scheduled_ms < 0) {
      seq->first_scheduled_ms = now;
      metrics.QueueTime(static_cast<double>(now - seq->arrival_ms) / 1000.0);
    }
    seq->admitted_order = next_order++;
    plan->push_back(Chunk(seq.get(), tokens));
    *tokens_left -= tokens;
    running.push_back(std::move(seq));
  }
}

void StepLoop::Impl::Preempt(Sequence* seq) {
  std::unique_ptr<Sequence> owned = TakeRunning(seq);
  owned->Preempt();
  ++preemptions;
  metrics.Preempted();
  std::lock_guard lock(mu);
  waiting.push_front(std::move(owned));
}

std::unique_ptr<Sequence> StepLoop::Impl::TakeRunning(Sequence* seq) {
  auto it =
      std::find_if(running.begin(), running.end(), [&](const auto& r) { return r.get() == seq; });
  std::unique_ptr<Sequence> owned = std::move(*it);
  running.erase(it);
  return owned;
}

void StepLoop::Impl::Retire(Sequence* seq, GenerationEvent event) {
  RetireWaiting(TakeRunning(seq), std::move(event));
}

void StepLoop::Impl::RetireWaiting(std::unique_ptr<Sequence> seq, GenerationEvent event) {
  seq->ReleaseCache();
  if (event.error.ok()) {
    metrics.Finished(event.finish, static_cast<double>(clock->NowMs() - seq->arrival_ms) / 1000.0,
                     seq->prompt_len(), seq->num_outputs());
  }
  outbox.push_back({seq.get(), std::move(event)});
  retired.push_back(std::move(seq));
}

}  // namespace hai::engine
