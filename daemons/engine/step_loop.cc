#include "daemons/engine/step_loop.h"

#include <algorithm>

#include "daemons/engine/step_loop_impl.h"
#include "lib/log/log.h"

namespace hai::engine {
namespace {

SequenceRules RulesFor(const checkpoint::Checkpoint& ckpt, const transformer::DecoderModel& model) {
  SequenceRules rules;
  rules.tokenizer = ckpt.tokenizer.get();
  rules.eos_ids = ckpt.generation.eos_token_ids;
  rules.max_context = model.config().max_position;
  return rules;
}

StepLoopOptions Sane(StepLoopOptions options) {
  options.max_num_seqs = std::max(1, options.max_num_seqs);
  options.max_num_batched_tokens = std::max<int64_t>(1, options.max_num_batched_tokens);
  options.max_waiting = std::max(0, options.max_waiting);
  if (options.clock == nullptr) options.clock = SystemClock::Get();
  return options;
}

double SecondsBetween(int64_t from_ms, int64_t to_ms) {
  return static_cast<double>(to_ms - from_ms) / 1000.0;
}

}  // namespace

StepLoop::Impl::Impl(const checkpoint::Checkpoint* ckpt, transformer::DecoderModel* model_in,
                     StepLoopOptions options_in, metrics::Registry* registry,
                     std::string served_name)
    : model(model_in),
      options(Sane(options_in)),
      clock(options.clock),
      rules(RulesFor(*ckpt, *model_in)),
      budget(*model_in, options.max_num_seqs, options.kv_budget_bytes),
      metrics(registry, std::move(served_name), model_in->config().max_position) {
  load.kv_bytes_budget = budget.bytes();
}

Status StepLoop::Impl::Validate(const GenerationRequest& request) const {
  const int64_t prompt = static_cast<int64_t>(request.prompt.size());
  const int64_t context = rules.max_context;
  const int max_tokens = request.sampling.max_tokens;
  if (prompt == 0) return Status::InvalidArgument("the prompt is empty", "prompt");
  if (prompt >= context) {
    return Status::InvalidArgument(
        "This model's maximum context length is " + std::to_string(context) +
            " tokens. However, your request has " + std::to_string(prompt) +
            " input tokens. Please reduce the length of the input.",
        "prompt");
  }
  if (max_tokens < 1) return Status::InvalidArgument("max_tokens must be at least 1", "max_tokens");
  if (prompt + max_tokens > context) {
    return Status::InvalidArgument(
        "This model's maximum context length is " + std::to_string(context) +
            " tokens. However, you requested " + std::to_string(prompt + max_tokens) + " tokens (" +
            std::to_string(prompt) + " in the input, " + std::to_string(max_tokens) +
            " in the completion). Please reduce the length of the input or completion.",
        "max_tokens");
  }
  const int32_t vocab = model->config().vocab_size;
  for (int32_t id : request.prompt) {
    if (id < 0 || id >= vocab) {
      return Status::InvalidArgument("prompt token " + std::to_string(id) +
                                         " is outside the vocabulary (0.." +
                                         std::to_string(vocab - 1) + ")",
                                     "prompt");
    }
  }
  if (!budget.Holds(budget.BytesFor(prompt))) {
    return Status::InvalidArgument("the prompt's " + std::to_string(prompt) + " tokens need " +
                                       std::to_string(budget.BytesFor(prompt)) +
                                       " bytes of KV cache; the engine's budget is " +
                                       std::to_string(budget.bytes()) + " bytes",
                                   "prompt");
  }
  return Status::Ok();
}

void StepLoop::Impl::Run() {
  while (true) {
    {
      std::unique_lock lock(mu);
      wake.wait(lock, [&] {
        return stopping || !cancels.empty() || !waiting.empty() || !running.empty();
      });
      if (stopping) return;
    }
    RunStep();
  }
}

void StepLoop::Impl::RunStep() {
  ProcessCancels();
  std::vector<ScheduledChunk> plan = Schedule();
  if (!plan.empty()) Execute(plan);
  PublishLoad();
  Deliver();
}

// Cancelled sequences end here, at a step boundary: their caches are freed
// before the abort event goes out.
void StepLoop::Impl::ProcessCancels() {
  std::vector<std::string> ids;
  std::vector<std::unique_ptr<Sequence>> from_queue;
  {
    std::lock_guard lock(mu);
    ids.swap(cancels);
    for (const std::string& id : ids) {
      auto it = std::find_if(waiting.begin(), waiting.end(),
                             [&](const auto& s) { return s->id() == id; });
      if (it == waiting.end()) continue;
      from_queue.push_back(std::move(*it));
      waiting.erase(it);
    }
  }
  for (auto& seq : from_queue) {
    GenerationEvent event = seq->FinishWithout(FinishReason::kAbort);
    RetireWaiting(std::move(seq), std::move(event));
  }
  for (const std::string& id : ids) {
    auto it =
        std::find_if(running.begin(), running.end(), [&](const auto& s) { return s->id() == id; });
    if (it != running.end()) Retire(it->get(), (*it)->FinishWithout(FinishReason::kAbort));
  }
}

void StepLoop::Impl::Execute(const std::vector<ScheduledChunk>& plan) {
  std::vector<transformer::StepInput> inputs;
  inputs.reserve(plan.size());
  for (const ScheduledChunk& chunk : plan) {
    transformer::StepInput input;
    input.cache = chunk.seq->cache();
    input.tokens = chunk.seq->tokens().subspan(static_cast<size_t>(chunk.seq->num_computed()),
                                               static_cast<size_t>(chunk.tokens));
    input.prompt_top_n = chunk.prompt_top_n;
    input.want_logits = chunk.want_logits;
    inputs.push_back(input);
  }
  Result<std::vector<transformer::StepOutput>> outputs = model->Step(inputs);
  if (!outputs.ok() || outputs->size() != plan.size()) {
    Status error =
        outputs.ok() ? Status::Internal("the model returned a short batch") : outputs.status();
    for (const ScheduledChunk& chunk : plan) {
      log::Error("model step failed",
                 {{"request_id", chunk.seq->id()}, {"error", error.ToString()}});
      GenerationEvent event;
      event.error = error;
      Retire(chunk.seq, std::move(event));
    }
    return;
  }
  for (size_t i = 0; i < plan.size(); ++i) {
    Sequence* seq = plan[i].seq;
    seq->OnComputed(plan[i].tokens, plan[i].prompt_top_n >= 0, (*outputs)[i]);
    if (seq->pending() == 0) Sampled(seq, (*outputs)[i]);
  }
}

// The chunk that completed a sequence's tokens gave the logits for its next one.
void StepLoop::Impl::Sampled(Sequence* seq, const transformer::StepOutput& output) {
  if (output.logits.size() != static_cast<size_t>(model->config().vocab_size)) {
    GenerationEvent event;
    event.error = Status::Internal("the model returned " + std::to_string(output.logits.size()) +
                                   " logits for a vocabulary of " +
                                   std::to_string(model->config().vocab_size));
    Retire(seq, std::move(event));
    return;
  }
  GenerationEvent event = seq->OnSampled(seq->sampler().Sample(output.logits));
  const int64_t now = clock->NowMs();
  metrics.TokenGenerated();
  if (seq->num_outputs() == 1) {
    metrics.PromptDone(seq->prompt_len());
    metrics.TimeToFirstToken(SecondsBetween(seq->arrival_ms, now));
  } else {
    metrics.TimePerOutputToken(SecondsBetween(seq->last_token_ms, now));
  }
  if (seq->first_token_ms < 0) seq->first_token_ms = now;
  seq->last_token_ms = now;
  if (event.finish != FinishReason::kNone) {
    Retire(seq, std::move(event));
  } else {
    outbox.push_back({seq, std::move(event)});
  }
}

void StepLoop::Impl::PublishLoad() {
  const int64_t used = KvBudget::Used(running);
  int num_waiting = 0;
  {
    std::lock_guard lock(mu);
    load.running = static_cast<int>(running.size());
    load.waiting = static_cast<int>(waiting.size());
    load.kv_bytes_used = used;
    load.preemptions = preemptions;
    num_waiting = load.waiting;
  }
  metrics.SetLoad(static_cast<int>(running.size()), num_waiting, budget.Usage(used));
}

// Events go out without the lock, so a sink may call Submit() or Cancel().
// A finished request's id is free again before its last event arrives.
void StepLoop::Impl::Deliver() {
  if (!retired.empty()) {
    std::lock_guard lock(mu);
    for (const auto& seq : retired) active_ids.erase(seq->id());
  }
  for (Delivery& delivery : outbox) delivery.seq->Emit(std::move(delivery.event));
  outbox.clear();
  retired.clear();
}

void StepLoop::Impl::AbortAll() {
  std::vector<std::unique_ptr<Sequence>> queued;
  {
    std::lock_guard lock(mu);
    for (auto& seq : waiting) queued.push_back(std::move(seq));
    waiting.clear();
  }
  while (!running.empty()) {
    Sequence* seq = running.back().get();
    Retire(seq, seq->FinishWithout(FinishReason::kAbort));
  }
  for (auto& seq : queued) {
    GenerationEvent event = seq->FinishWithout(FinishReason::kAbort);
    RetireWaiting(std::move(seq), std::move(event));
  }
  PublishLoad();
  Deliver();
}

StepLoop::StepLoop(const checkpoint::Checkpoint* ckpt, transformer::DecoderModel* model,
                   StepLoopOptions options, metrics::Registry* registry, std::string served_name)
    : impl_(std::make_unique<Impl>(ckpt, model, options, registry, std::move(served_name))) {}

StepLoop::~StepLoop() {
  {
    std::lock_guard lock(impl_->mu);
    impl_->stopping = true;
  }
  impl_->wake.notify_all();
  if (impl_->thread.joinable()) impl_->thread.join();
  impl_->AbortAll();
}

void StepLoop::Start() {
  if (impl_->thread.joinable()) return;
  impl_->thread = std::thread([this] { impl_->Run(); });
}

Status StepLoop::Submit(GenerationRequest request, EventSink sink) {
  HAI_RETURN_IF_ERROR(impl_->Validate(request));
  const std::string id = request.request_id;
  auto seq = std::make_unique<Sequence>(std::move(request), std::move(sink), &impl_->rules,
                                        impl_->clock->NowMs());
  {
    std::lock_guard lock(impl_->mu);
    if (impl_->stopping) return Status::Unavailable("the engine is stopping");
    if (static_cast<int>(impl_->waiting.size()) >= impl_->options.max_waiting) {
      return Status(Code::kResourceExhausted, "the engine's queue is full (" +
                                                  std::to_string(impl_->waiting.size()) +
                                                  " requests waiting); retry later");
    }
    if (!id.empty() && impl_->active_ids.contains(id))
      return Status::AlreadyExists("request " + id + " is already running", "request_id");
    if (!id.empty()) impl_->active_ids.insert(id);
    impl_->waiting.push_back(std::move(seq));
    impl_->load.waiting = static_cast<int>(impl_->waiting.size());
  }
  impl_->wake.notify_one();
  return Status::Ok();
}

void StepLoop::Cancel(const std::string& request_id) {
  {
    std::lock_guard lock(impl_->mu);
    if (request_id.empty() || !impl_->active_ids.contains(request_id)) return;
    impl_->cancels.push_back(request_id);
  }
  impl_->wake.notify_one();
}

LoadSnapshot StepLoop::Load() const {
  std::lock_guard lock(impl_->mu);
  LoadSnapshot snapshot = impl_->load;
  snapshot.waiting = static_cast<int>(impl_->waiting.size());
  return snapshot;
}

}  // namespace hai::engine
