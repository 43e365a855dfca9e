#include "bench/engine_bench_load.h"

#include <algorithm>
#include <chrono>
#include <thread>

namespace hai::bench {
namespace {

using engine::FinishReason;
using engine::GenerationEvent;
using engine::GenerationRequest;
using engine::StepLoop;

// "p3" and the like, built in two steps (GCC 12 misreads `"p" + to_string`
// at -O3 as an overlapping copy).
std::string Name(const char* prefix, size_t i) {
  std::string name = prefix;
  name += std::to_string(i);
  return name;
}

Status Timeout(const char* phase, double timeout_s) {
  return Status::Unavailable(std::string(phase) + ": not done within " +
                             std::to_string(static_cast<int>(timeout_s)) + " s");
}

Status FirstError(const std::vector<RequestTiming>& timings) {
  for (const RequestTiming& t : timings) {
    if (!t.error.ok()) return t.error;
  }
  return Status::Ok();
}

// The value at rank round(q·(n−1)) of the sorted values.
double Percentile(std::vector<double> values, double q) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const size_t rank = static_cast<size_t>(q * static_cast<double>(values.size() - 1) + 0.5);
  return values[std::min(values.size() - 1, rank)];
}

}  // namespace

double NowSeconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

Status LoadDriver::Submit(const std::string& id, std::vector<int32_t> prompt, int max_tokens) {
  GenerationRequest request;
  request.request_id = id;
  request.prompt = std::move(prompt);
  request.sampling.temperature = 0;
  request.sampling.ignore_eos = true;
  request.sampling.max_tokens = max_tokens;
  {
    std::lock_guard lock(mu_);
    RequestTiming& t = requests_[id];
    t = RequestTiming{};
    t.submit_s = NowSeconds();
  }
  Status submitted = loop_->Submit(
      std::move(request), [this, id](GenerationEvent&& event) { OnEvent(id, std::move(event)); });
  if (!submitted.ok()) {
    std::lock_guard lock(mu_);
    requests_.erase(id);
  }
  return submitted;
}

void LoadDriver::OnEvent(const std::string& id, GenerationEvent&& event) {
  const double now = NowSeconds();
  std::lock_guard lock(mu_);
  RequestTiming& t = requests_[id];
  if (!event.tokens.empty()) {
    if (t.first_token_s < 0) t.first_token_s = now;
    t.last_token_s = now;
    t.output.insert(t.output.end(), event.tokens.begin(), event.tokens.end());
    t.token_s.insert(t.token_s.end(), event.tokens.size(), now);
  }
  if (!event.error.ok() || event.finish != FinishReason::kNone) {
    t.error = event.error;
    t.finish = event.finish;
    t.done = true;
    t.done_s = now;
    changed_.notify_all();
  }
}

bool LoadDriver::WaitAll(double timeout_s) {
  std::unique_lock lock(mu_);
  return changed_.wait_for(lock, std::chrono::duration<double>(timeout_s), [&] {
    return std::all_of(requests_.begin(), requests_.end(),
                       [](const auto& entry) { return entry.second.done; });
  });
}

bool LoadDriver::WaitFor(const std::vector<std::string>& ids, double timeout_s) {
  std::unique_lock lock(mu_);
  return changed_.wait_for(lock, std::chrono::duration<double>(timeout_s), [&] {
    return std::all_of(ids.begin(), ids.end(), [&](const std::string& id) {
      auto it = requests_.find(id);
      return it == requests_.end() || it->second.done;
    });
  });
}

void LoadDriver::CancelAll(double timeout_s) {
  std::vector<std::string> running;
  {
    std::lock_guard lock(mu_);
    for (const auto& [id, t] : requests_) {
      if (!t.done) running.push_back(id);
    }
  }
  for (const std::string& id : running) loop_->Cancel(id);
  (void)WaitAll(timeout_s);
}

RequestTiming LoadDriver::Get(const std::string& id) const {
  std::lock_guard lock(mu_);
  auto it = requests_.find(id);
  return it == requests_.end() ? RequestTiming{} : it->second;
}

std::vector<RequestTiming> LoadDriver::All() const {
  std::lock_guard lock(mu_);
  std::vector<RequestTiming> all;
  for (const auto& [id, t] : requests_) all.push_back(t);
  return all;
}

Result<double> MeasurePrefill(StepLoop& loop, const std::vector<int32_t>& prompt,
                              double timeout_s) {
  LoadDriver driver(&loop);
  HAI_RETURN_IF_ERROR(driver.Submit("prefill", prompt, 1));
  if (!driver.WaitAll(timeout_s)) {
    driver.CancelAll(timeout_s);
    return Timeout("prefill", timeout_s);
  }
  const RequestTiming t = driver.Get("prefill");
  HAI_RETURN_IF_ERROR(t.error);
  if (t.first_token_s <= t.submit_s) return Status::Internal("prefill: no token came back");
  return static_cast<double>(prompt.size()) / (t.first_token_s - t.submit_s);
}

Result<DecodeFigures> MeasureDecode(StepLoop& loop, const std::vector<int32_t>& prompt,
                                    int max_tokens, double timeout_s) {
  LoadDriver driver(&loop);
  HAI_RETURN_IF_ERROR(driver.Submit("decode", prompt, max_tokens));
  if (!driver.WaitAll(timeout_s)) {
    driver.CancelAll(timeout_s);
    return Timeout("decode", timeout_s);
  }
  RequestTiming t = driver.Get("decode");
  HAI_RETURN_IF_ERROR(t.error);
  if (t.output.size() < 2 || t.last_token_s <= t.first_token_s)
    return Status::Internal("decode: fewer than two tokens came back");
  DecodeFigures figures;
  figures.tokens_per_s =
      static_cast<double>(t.output.size() - 1) / (t.last_token_s - t.first_token_s);
  figures.output = std::move(t.output);
  return figures;
}

Result<StreamFigures> MeasureStreams(StepLoop& loop,
                                     const std::vector<std::vector<int32_t>>& prompts,
                                     int max_tokens, double timeout_s) {
  LoadDriver driver(&loop);
  const uint64_t preempted_before = loop.Load().preemptions;
  for (size_t i = 0; i < prompts.size(); ++i) {
    Status submitted = driver.Submit(Name("s", i), prompts[i], max_tokens);
    if (!submitted.ok()) {
      driver.CancelAll(timeout_s);
      return submitted;
    }
  }
  if (!driver.WaitAll(timeout_s)) {
    driver.CancelAll(timeout_s);
    return Timeout("streams", timeout_s);
  }
  const std::vector<RequestTiming> all = driver.All();
  HAI_RETURN_IF_ERROR(FirstError(all));
  double start = all.front().submit_s, end = all.front().done_s, ttft = 0;
  double all_decoding = 0, first_done = all.front().last_token_s;
  size_t tokens = 0;
  for (const RequestTiming& t : all) {
    start = std::min(start, t.submit_s);
    end = std::max(end, t.done_s);
    all_decoding = std::max(all_decoding, t.first_token_s);
    first_done = std::min(first_done, t.last_token_s);
    tokens += t.output.size();
    ttft += t.first_token_s - t.submit_s;
  }
  if (end <= start) return Status::Internal("streams: no time passed");
  StreamFigures figures;
  figures.aggregate_tokens_per_s = static_cast<double>(tokens) / (end - start);
  size_t steady = 0;
  for (const RequestTiming& t : all) {
    steady += static_cast<size_t>(std::count_if(t.token_s.begin(), t.token_s.end(), [&](double s) {
      return s > all_decoding && s <= first_done;
    }));
  }
  if (first_done > all_decoding && steady > 0)
    figures.steady_tokens_per_s = static_cast<double>(steady) / (first_done - all_decoding);
  figures.ttft_mean_s = ttft / static_cast<double>(all.size());
  figures.preemptions = loop.Load().preemptions - preempted_before;
  return figures;
}

Result<TtftFigures> MeasureTtftUnderLoad(StepLoop& loop,
                                         const std::vector<std::vector<int32_t>>& background,
                                         int background_tokens,
                                         const std::vector<Arrival>& arrivals, double timeout_s) {
  LoadDriver driver(&loop);
  const double deadline = NowSeconds() + timeout_s;
  const auto left = [&] { return std::max(0.0, deadline - NowSeconds()); };
  // The background streams are decoding before the first arrival.
  for (size_t i = 0; i < background.size(); ++i)
    HAI_RETURN_IF_ERROR(driver.Submit(Name("bg", i), background[i], background_tokens));
  while (NowSeconds() < deadline) {
    const std::vector<RequestTiming> all = driver.All();
    if (std::all_of(all.begin(), all.end(),
                    [](const RequestTiming& t) { return t.first_token_s >= 0 || t.done; }))
      break;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  TtftFigures figures;
  std::vector<std::string> ids;
  const double start = NowSeconds();
  for (size_t i = 0; i < arrivals.size() && NowSeconds() < deadline; ++i) {
    const double due = std::min(start + arrivals[i].at_s, deadline);
    while (NowSeconds() < due) {
      figures.peak_running = std::max(figures.peak_running, loop.Load().running);
      std::this_thread::sleep_for(
          std::chrono::duration<double>(std::min(0.005, std::max(0.0, due - NowSeconds()))));
    }
    ids.push_back(Name("a", i));
    Status submitted = driver.Submit(ids.back(), arrivals[i].prompt, arrivals[i].max_tokens);
    if (!submitted.ok()) {
      driver.CancelAll(left());
      return submitted;
    }
  }
  // Sampled while the arrivals drain, too.
  while (!driver.WaitFor(ids, std::min(0.01, left())) && left() > 0)
    figures.peak_running = std::max(figures.peak_running, loop.Load().running);
  const bool finished = ids.size() == arrivals.size() && driver.WaitFor(ids, 0);
  driver.CancelAll(std::max(left(), 10.0));
  if (!finished) return Timeout("TTFT under load", timeout_s);
  HAI_RETURN_IF_ERROR(FirstError(driver.All()));  // the background's too

  std::vector<double> ttft;
  double end = start;
  size_t tokens = 0;
  for (const std::string& id : ids) {
    const RequestTiming t = driver.Get(id);
    HAI_RETURN_IF_ERROR(t.error);
    ttft.push_back(t.first_token_s - t.submit_s);
    end = std::max(end, t.done_s);
    tokens += t.output.size();
  }
  figures.p50_s = Percentile(ttft, 0.5);
  figures.p99_s = Percentile(ttft, 0.99);
  figures.max_s = Percentile(ttft, 1.0);
  figures.span_s = end - start;
  if (figures.span_s > 0)
    figures.output_tokens_per_s = static_cast<double>(tokens) / figures.span_s;
  return figures;
}

}  // namespace hai::bench
