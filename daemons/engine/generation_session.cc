#include "daemons/engine/generation_session.h"

#include <condition_variable>
#include <deque>
#include <mutex>

namespace hai::engine {

struct GenerationSession::Queue {
  std::mutex mu;
  std::condition_variable cv;
  std::deque<Item> items;  // guarded by mu

  void Push(int index, GenerationEvent&& event) {
    {
      std::lock_guard lock(mu);
      items.push_back(Item{index, std::move(event)});
    }
    cv.notify_one();
  }
};

GenerationSession::GenerationSession(StepLoop* loop)
    : loop_(loop), queue_(std::make_shared<Queue>()) {}

GenerationSession::~GenerationSession() { CancelAll(); }

Status GenerationSession::Submit(std::vector<GenerationRequest> requests) {
  for (size_t i = 0; i < requests.size(); ++i) {
    std::string id = requests[i].request_id;
    int index = static_cast<int>(i);
    std::shared_ptr<Queue> queue = queue_;
    Status st = loop_->Submit(std::move(requests[i]), [queue, index](GenerationEvent&& event) {
      queue->Push(index, std::move(event));
    });
    if (!st.ok()) {
      CancelAll();
      return st;
    }
    ids_.push_back(std::move(id));
    finished_.push_back(false);
    ++remaining_;
  }
  return Status::Ok();
}

std::optional<GenerationSession::Item> GenerationSession::Next(std::chrono::milliseconds wait) {
  if (remaining_ == 0) return std::nullopt;
  std::optional<Item> item;
  {
    std::unique_lock lock(queue_->mu);
    if (!queue_->cv.wait_for(lock, wait, [this] { return !queue_->items.empty(); }))
      return std::nullopt;
    item = std::move(queue_->items.front());
    queue_->items.pop_front();
  }
  bool final = item->event.finish != FinishReason::kNone || !item->event.error.ok();
  size_t index = static_cast<size_t>(item->index);
  if (final && index < finished_.size() && !finished_[index]) {
    finished_[index] = true;
    --remaining_;
  }
  return item;
}

void GenerationSession::CancelAll() {
  if (cancelled_) return;
  cancelled_ = true;
  for (size_t i = 0; i < ids_.size(); ++i) {
    if (!finished_[i]) loop_->Cancel(ids_[i]);
  }
}

}  // namespace hai::engine
