#include "daemons/gateway/call_recorder.h"

#include <nlohmann/json.hpp>

namespace hai::gateway {
namespace {

// "/v1/chat/completions" → "chat/completions".
std::string Endpoint(const std::string& path) {
  return path.rfind("/v1/", 0) == 0 ? path.substr(4) : path;
}

// The first address of X-Forwarded-For, when it looks like one (an IPv6
// address is at most 45 characters).
std::string ForwardedFor(const http::Request& req) {
  std::string first = req.Header("x-forwarded-for");
  first = first.substr(0, first.find(','));
  first.erase(0, first.find_first_not_of(' '));
  first.erase(first.find_last_not_of(' ') + 1);
  if (first.empty() || first.size() > 45 ||
      first.find_first_not_of("0123456789abcdefABCDEF.:") != std::string::npos)
    return "";
  return first;
}

}  // namespace

CallRecorder::CallRecorder(RecorderDeps deps, const http::Request& req)
    : deps_(deps), received_(std::chrono::steady_clock::now()), forwarded_for_(ForwardedFor(req)) {
  record_.time_ms = deps_.clock->NowMs();
  record_.request_id = req.request_id.substr(0, CallRecord::kMaxRequestId);
  record_.endpoint = Endpoint(req.path);
  record_.client_ip = req.client_ip;
  record_.user_agent = req.Header("user-agent").substr(0, CallRecord::kMaxUserAgent);
}

CallRecorder::~CallRecorder() {
  // An answer handed out but never written to its end: the connection went
  // first. Never handed out: the handler failed, and lib/http answered 500.
  if (!completed_) Complete(finished_ ? 499 : 500, finished_);
}

void CallRecorder::Identify(const Caller& caller) {
  if (!caller.key) return;
  identified_ = true;
  record_.org_id = caller.key->org_id;
  if (caller.key->user_id > 0) record_.user_id = caller.key->user_id;
  record_.source = caller.source;
  record_.api_key_prefix = caller.key_prefix;
  if (!caller.playground()) record_.api_key_id = caller.key->key_id;
  // Only the portal, proven by the cluster token, is believed about the
  // browser's address; a program's own X-Forwarded-For is not.
  if (caller.playground() && !forwarded_for_.empty()) record_.client_ip = forwarded_for_;
}

void CallRecorder::Model(const std::string& model, const RoutedService* service) {
  record_.service = (service ? service->name : model).substr(0, CallRecord::kMaxService);
  if (!service) return;
  record_.service_id = service->service_id;
  model_id_ = service->model_id;
  model_digest_ = service->model_digest;
}

void CallRecorder::Tried(int64_t deployment_id, int64_t replica_id) {
  record_.deployment_id = deployment_id;
  record_.replica_id = replica_id;
}

http::Response CallRecorder::Finish(std::shared_ptr<CallRecorder> call, http::Response res) {
  call->finished_ = true;
  if (!call->identified_) {
    call->completed_ = true;
    return res;
  }
  const int status = res.status;
  if (res.stream) {
    http::StreamProducer inner = std::move(res.stream);
    res.stream = [call, inner = std::move(inner), status](const http::StreamWrite& write) {
      http::StreamWrite watched = [call, &write](std::string_view piece) {
        if (!write(piece)) return false;
        if (!piece.empty()) call->Passed(piece);
        return true;
      };
      const bool ended = inner(watched);
      call->Complete(status, !ended);
      return ended;
    };
    return res;
  }
  // An error answer (small) ends here: lib/http renders an error status
  // without a body of its own, so it must keep its body.
  if (status >= 400 || res.body.empty()) {
    call->answer_body_ = std::make_shared<const std::string>(res.body);
    call->Complete(status, false);
    return res;
  }
  // Sent with Content-Length as before, through a producer that sees the
  // last byte go.
  call->answer_body_ = std::make_shared<const std::string>(std::move(res.body));
  res.body.clear();
  std::shared_ptr<const std::string> body = call->answer_body_;
  res.sized_length = body->size();
  res.sized = [call, body, status](uint64_t offset, uint64_t length,
                                   const http::StreamWrite& write) {
    if (!write(std::string_view(*body).substr(offset, length))) {
      call->Complete(status, true);
      return false;
    }
    if (offset + length >= body->size()) call->Complete(status, false);
    return true;
  };
  return res;
}

void CallRecorder::Passed(std::string_view piece) {
  if (meter_.Feed(piece)) first_content_ = std::chrono::steady_clock::now();
}

double CallRecorder::MsSinceReceipt(std::chrono::steady_clock::time_point t) const {
  return std::chrono::duration<double, std::milli>(t - received_).count();
}

TokenUsage CallRecorder::Usage(int status_code) const {
  // A stream that started used tokens however it ended.
  if (stream_ && status_code == 200) {
    if (meter_.reported()) return *meter_.reported();
    return Counted(meter_.content_events(), meter_.content_text());
  }
  if (stream_ || status_code < 200 || status_code >= 300 || !answer_body_) return {};
  if (auto u = UsageFromAnswer(*answer_body_)) return *u;
  const std::string text = AnswerText(*answer_body_);
  return Counted(EstimateTokens(text), text);
}

// With the model's tokenizer when it is loaded (the first calls of a model
// ask for it), else the estimate: output one token per event of a stream
// (`events`) or per 4 bytes of an answer's text.
TokenUsage CallRecorder::Counted(int64_t events, std::optional<std::string_view> text) const {
  std::shared_ptr<const ModelTokenizer> tokenizer =
      deps_.tokens ? deps_.tokens->Find(model_id_, model_digest_) : nullptr;
  TokenUsage u;
  u.source = "counted";
  std::optional<int64_t> input;
  if (tokenizer) input = tokenizer->InputTokens(request_body_);
  u.input = input ? *input : EstimateInputTokens(request_body_);
  u.output = tokenizer && text ? tokenizer->TextTokens(*text) : events;
  return u;
}

std::string CallRecorder::ErrorCode(int status_code, bool caller_gone) const {
  if (caller_gone) return "client_closed_request";
  if (!finished_) return "internal_error";  // what lib/http answers for a failed handler
  if (broken_) return "upstream_stream_broken";
  if (status_code < 400) return meter_.error_code();
  // The error as the caller got it: the gateway's own or the engine's.
  nlohmann::json body =
      answer_body_ ? nlohmann::json::parse(*answer_body_, nullptr, false) : nlohmann::json();
  if (body.is_object() && body.contains("error") && body["error"].is_object()) {
    const nlohmann::json& e = body["error"];
    if (e.contains("code") && e["code"].is_string()) return e["code"].get<std::string>();
    if (e.contains("type") && e["type"].is_string()) return e["type"].get<std::string>();
  }
  return "http_" + std::to_string(status_code);
}

void CallRecorder::Complete(int status_code, bool caller_gone) {
  if (completed_) return;
  completed_ = true;
  if (!identified_) return;
  CallRecord r = record_;
  r.latency_ms = MsSinceReceipt(std::chrono::steady_clock::now());
  r.stream = stream_;
  const TokenUsage usage = Usage(status_code);
  r.status_code = caller_gone ? 499 : status_code;
  r.error = ErrorCode(r.status_code, caller_gone).substr(0, CallRecord::kMaxError);
  r.status = r.status_code < 400 && r.error.empty() ? "success" : "failure";
  r.input_tokens = usage.input;
  r.output_tokens = usage.output;
  r.total_tokens = usage.source == "engine" ? usage.total : usage.input + usage.output;
  r.usage_source = usage.source;
  if (stream_ && first_content_) r.ttft_ms = MsSinceReceipt(*first_content_);
  DeriveRates(&r);
  deps_.limiter->AddTokens(subject_, r.total_tokens);
  deps_.sink->Add(std::move(r));
}

}  // namespace hai::gateway
