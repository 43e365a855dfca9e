#pragma once

// The step loop's state, shared by step_loop.cc (thread, queue, steps) and
// step_schedule.cc (which sequences run next, admission, preemption).

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_set>
#include <vector>

#include "daemons/engine/engine_metrics.h"
#include "daemons/engine/kv_budget.h"
#include "daemons/engine/sequence.h"
#include "daemons/engine/step_loop.h"

namespace hai::engine {

// One sequence's share of the next step.
struct ScheduledChunk {
  Sequence* seq = nullptr;
  int64_t tokens = 0;
  int prompt_top_n = -1;
  bool want_logits = true;
};

struct StepLoop::Impl {
  Impl(const checkpoint::Checkpoint* ckpt, transformer::DecoderModel* model,
       StepLoopOptions options, metrics::Registry* registry, std::string served_name);

  // Shared with Submit(), Cancel() and Load(): guarded by `mu`.
  mutable std::mutex mu;
  std::condition_variable wake;
  bool stopping = false;
  std::deque<std::unique_ptr<Sequence>> waiting;  // FIFO; preempted ones go to the front
  std::unordered_set<std::string> active_ids;     // submitted, not yet finished
  std::vector<std::string> cancels;
  LoadSnapshot load;

  // Fixed at construction.
  transformer::DecoderModel* model;
  StepLoopOptions options;
  const Clock* clock;
  SequenceRules rules;
  KvBudget budget;
  EngineMetrics metrics;
  std::thread thread;

  // The loop thread's own (and the destructor's, after the thread ended).
  std::vector<std::unique_ptr<Sequence>> running;  // admission order: youngest last
  uint64_t next_order = 0;
  uint64_t preemptions = 0;
  struct Delivery {
    Sequence* seq;
    GenerationEvent event;
  };
  std::vector<Delivery> outbox;                    // sent after the step, without the lock
  std::vector<std::unique_ptr<Sequence>> retired;  // finished, freed after the outbox is sent

  Status Validate(const GenerationRequest& request) const;
  void Run();
  void RunStep();
  void ProcessCancels();
  void Execute(const std::vector<ScheduledChunk>& plan);
  void Sampled(Sequence* seq, const transformer::StepOutput& output);
  void PublishLoad();
  void Deliver();
  void AbortAll();

  // step_schedule.cc
  std::vector<ScheduledChunk> Schedule();
  enum class Growth { kGrown, kPreempted, kFinished };
  Growth Grow(Sequence* seq, int64_t tokens, std::vector<ScheduledChunk>* plan,
              int64_t* tokens_left);
  void Admit(std::vector<ScheduledChunk>* plan, int64_t* tokens_left);
  ScheduledChunk Chunk(Sequence* seq, int64_t tokens) const;
  void Preempt(Sequence* seq);
  // Ends a sequence with `event` (its finish set): out of `running`, cache freed.
  void Retire(Sequence* seq, GenerationEvent event);
  void RetireWaiting(std::unique_ptr<Sequence> seq, GenerationEvent event);
  std::unique_ptr<Sequence> TakeRunning(Sequence* seq);
};

}  // namespace hai::engine
