#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "daemons/engine/generation.h"
#include "daemons/engine/step_loop.h"
#include "lib/base/status.h"

namespace hai::engine {

// The sequences one HTTP request runs in the step loop (one per choice), and
// the queue their events wait in until the request's thread takes them. This
// file holds all the locking between the step thread and the HTTP threads.
//
// A reader that goes away cancels its work: destroying the session cancels
// every sequence that has not finished, so a dropped stream or an abandoned
// request frees its KV cache at the next step.
//
// Thread safety: Submit, Next, CancelAll and the destructor from the owning
// thread only; the event sinks run on the step thread and touch only the
// shared queue, which outlives the session if the step loop still holds a sink.
class GenerationSession {
 public:
  struct Item {
    int index = 0;  // position of the request in Submit's vector
    GenerationEvent event;
  };

  explicit GenerationSession(StepLoop* loop);
  ~GenerationSession();
  GenerationSession(const GenerationSession&) = delete;
  GenerationSession& operator=(const GenerationSession&) = delete;

  // Submits every request or none: on a failure the ones already in are
  // cancelled and the failure returned.
  Status Submit(std::vector<GenerationRequest> requests);
  // The next event, waiting at most `wait`; nullopt on timeout or when done.
  std::optional<Item> Next(std::chrono::milliseconds wait);
  // Every sequence has delivered its final event (finish or error).
  bool done() const { return remaining_ == 0; }
  // Asks the step loop to stop every unfinished sequence (once).
  void CancelAll();

 private:
  struct Queue;
  StepLoop* loop_;
  std::shared_ptr<Queue> queue_;
  std::vector<std::string> ids_;
  std::vector<bool> finished_;
  int remaining_ = 0;
  bool cancelled_ = false;
};

}  // namespace hai::engine
