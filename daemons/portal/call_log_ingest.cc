#include "daemons/portal/call_log_ingest.h"

#include <array>
#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>

namespace hai::portal {
namespace {

using nlohmann::json;

// Longest texts kept, in characters (UTF-8 code points).
constexpr size_t kRequestIdMax = 128;
constexpr size_t kPrefixMax = 32;
constexpr size_t kServiceMax = 256;
constexpr size_t kErrorMax = 128;
constexpr size_t kClientIpMax = 64;
constexpr size_t kUserAgentMax = 256;
// No measured duration reaches a year; past that a value is a unit mistake.
constexpr double kMaxMs = 365.0 * 24 * 3600 * 1000;
constexpr double kMaxTps = 1e9;
constexpr int64_t kMaxTimeMs = 253402300799999;  // 9999-12-31T23:59:59.999Z

// The fields a record may carry; anything else is skipped.
constexpr std::array<std::string_view, 26> kFieldNames = {"request_id",   "time_ms",
                                                          "org_id",       "user_id",
                                                          "api_key_id",   "api_key_prefix",
                                                          "source",       "service_id",
                                                          "service",      "deployment_id",
                                                          "replica_id",   "endpoint",
                                                          "status",       "status_code",
                                                          "error",        "client_ip",
                                                          "user_agent",   "stream",
                                                          "input_tokens", "output_tokens",
                                                          "total_tokens", "usage_source",
                                                          "ttft_ms",      "tpot_ms",
                                                          "latency_ms",   "tps"};

int FieldIndex(std::string_view key) {
  for (size_t i = 0; i < kFieldNames.size(); ++i)
    if (kFieldNames[i] == key) return static_cast<int>(i);
  return -1;
}

// One field's JSON value as the parser saw it; containers are only noted.
struct Value {
  enum class Kind { kAbsent, kNull, kBool, kInt, kUnsigned, kFloat, kString, kContainer };
  Kind kind = Kind::kAbsent;
  bool b = false;
  int64_t i = 0;
  uint64_t u = 0;
  double d = 0;
  std::string s;

  bool IsInteger() const { return kind == Kind::kInt || kind == Kind::kUnsigned; }
  bool IsNumber() const { return IsInteger() || kind == Kind::kFloat; }
  double AsDouble() const {
    return kind == Kind::kInt        ? static_cast<double>(i)
           : kind == Kind::kUnsigned ? static_cast<double>(u)
                                     : d;
  }
};
using Fields = std::array<Value, kFieldNames.size()>;

size_t CodePoints(const std::string& s) {
  size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xc0) != 0x80;
  return n;
}

// Cuts `s` to at most `max` code points without splitting one.
void CutText(std::string* s, size_t max) {
  size_t points = 0;
  for (size_t i = 0; i < s->size(); ++i) {
    if ((static_cast<unsigned char>((*s)[i]) & 0xc0) == 0x80) continue;  // continuation byte
    if (points++ == max) {
      s->resize(i);
      return;
    }
  }
}

// Reads one record's fields into a CallRecord; the first problem wins and
// names the field.
class RecordReader {
 public:
  explicit RecordReader(Fields& fields) : fields_(fields) {}

  const Status& status() const { return status_; }

  void Fail(const char* key, const std::string& why) {
    if (status_.ok()) status_ = Status::InvalidArgument(std::string(key) + ": " + why, key);
  }

  void Text(const char* key, size_t max, std::string* out, bool required = false) {
    Value* v = Field(key);
    if (!v) {
      if (required) Fail(key, "is required");
      return;
    }
    if (v->kind != Value::Kind::kString) return Fail(key, "must be a string");
    *out = std::move(v->s);
    CutText(out, max);
  }

  void OneOf(const char* key, std::initializer_list<const char*> allowed, std::string* out) {
    Value* v = Field(key);
    if (!v) return;
    if (v->kind != Value::Kind::kString) return Fail(key, "must be a string");
    for (const char* a : allowed)
      if (v->s == a) {
        *out = std::move(v->s);
        return;
      }
    std::string list;
    for (const char* a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
    Fail(key, "must be one of " + list);
  }

  std::optional<int64_t> Int(const char* key, int64_t min, int64_t max, bool required = false) {
    Value* v = Field(key);
    if (!v) {
      if (required) Fail(key, "is required");
      return std::nullopt;
    }
    if (!v->IsInteger()) {
      Fail(key, "must be an integer");
      return std::nullopt;
    }
    const bool in_range = v->kind == Value::Kind::kInt
                              ? v->i >= min && v->i <= max
                              : min <= 0 && v->u <= static_cast<uint64_t>(max);
    if (!in_range) {
      Fail(key, "must be from " + std::to_string(min) + " to " + std::to_string(max));
      return std::nullopt;
    }
    return v->kind == Value::Kind::kInt ? v->i : static_cast<int64_t>(v->u);
  }

  std::optional<int64_t> Id(const char* key, bool required = false) {
    return Int(key, 1, INT64_MAX, required);
  }

  // A non-negative number, returned in integer thousandths of its unit.
  std::optional<int64_t> Milli(const char* key, double max) {
    Value* v = Field(key);
    if (!v) return std::nullopt;
    if (!v->IsNumber()) {
      Fail(key, "must be a number");
      return std::nullopt;
    }
    const double d = v->AsDouble();
    if (!std::isfinite(d) || d < 0 || d > max) {
      Fail(key, "must be a number from 0 to " + json(max).dump());
      return std::nullopt;
    }
    return static_cast<int64_t>(std::llround(d * 1000));
  }

  void Bool(const char* key, bool* out) {
    Value* v = Field(key);
    if (!v) return;
    if (v->kind != Value::Kind::kBool) return Fail(key, "must be true or false");
    *out = v->b;
  }

 private:
  // The field's value; null when absent or JSON null.
  Value* Field(const char* key) {
    Value& v = fields_[static_cast<size_t>(FieldIndex(key))];
    return v.kind == Value::Kind::kAbsent || v.kind == Value::Kind::kNull ? nullptr : &v;
  }

  Fields& fields_;
  Status status_;
};

Result<CallRecord> ReadRecord(Fields& fields) {
  CallRecord r;
  RecordReader in(fields);
  in.Text("request_id", SIZE_MAX, &r.request_id, true);
  if (in.status().ok() && (r.request_id.empty() || CodePoints(r.request_id) > kRequestIdMax))
    in.Fail("request_id", "must be 1 to 128 characters");
  r.time_ms = in.Int("time_ms", 0, kMaxTimeMs, true).value_or(0);
  r.org_id = in.Id("org_id", true).value_or(0);
  r.user_id = in.Id("user_id");
  r.api_key_id = in.Id("api_key_id");
  in.Text("api_key_prefix", kPrefixMax, &r.api_key_prefix);
  in.OneOf("source", {"api", "playground"}, &r.source);
  r.service_id = in.Id("service_id");
  in.Text("service", kServiceMax, &r.service);
  r.deployment_id = in.Id("deployment_id");
  r.replica_id = in.Id("replica_id");
  in.OneOf("endpoint", {"chat/completions", "completions", "embeddings", "rerank"}, &r.endpoint);
  r.status_code = in.Int("status_code", 0, 999).value_or(0);
  in.Text("error", kErrorMax, &r.error);
  std::string status;
  in.OneOf("status", {"success", "failure"}, &status);
  r.failed = status.empty() ? r.status_code >= 400 || !r.error.empty() : status == "failure";
  in.Text("client_ip", kClientIpMax, &r.client_ip);
  in.Text("user_agent", kUserAgentMax, &r.user_agent);
  in.Bool("stream", &r.stream);
  r.input_tokens = in.Int("input_tokens", 0, INT32_MAX).value_or(0);
  r.output_tokens = in.Int("output_tokens", 0, INT32_MAX).value_or(0);
  r.total_tokens = in.Int("total_tokens", 0, INT64_MAX).value_or(r.input_tokens + r.output_tokens);
  in.OneOf("usage_source", {"engine", "counted", "none"}, &r.usage_source);
  r.ttft_us = in.Milli("ttft_ms", kMaxMs);
  r.tpot_us = in.Milli("tpot_ms", kMaxMs);
  r.latency_us = in.Milli("latency_ms", kMaxMs).value_or(0);
  r.tps_milli = in.Milli("tps", kMaxTps);
  if (!in.status().ok()) return in.status();
  return r;
}

// Reads the batch as the parser walks it, one record at a time, without
// building a document: a full batch would otherwise take several times its
// 8 MiB in memory, per request.
//
// Depth 1 is the body object, 2 the records array, 3 a record; values
// deeper than a record's fields, and keys other than `records` at the top,
// are skipped.
class BatchReader {
 public:
  using number_integer_t = json::number_integer_t;
  using number_unsigned_t = json::number_unsigned_t;
  using number_float_t = json::number_float_t;
  using string_t = json::string_t;
  using binary_t = json::binary_t;

  CallLogBatch batch;
  Status error;

  bool null() {
    return Scalar([](Value& v) { v.kind = Value::Kind::kNull; });
  }
  bool boolean(bool b) {
    return Scalar([b](Value& v) {
      v.kind = Value::Kind::kBool;
      v.b = b;
    });
  }
  bool number_integer(number_integer_t i) {
    return Scalar([i](Value& v) {
      v.kind = Value::Kind::kInt;
      v.i = i;
    });
  }
  bool number_unsigned(number_unsigned_t u) {
    return Scalar([u](Value& v) {
      v.kind = u <= static_cast<uint64_t>(INT64_MAX) ? Value::Kind::kInt : Value::Kind::kUnsigned;
      v.i = static_cast<int64_t>(u);
      v.u = u;
    });
  }
  bool number_float(number_float_t d, const string_t&) {
    return Scalar([d](Value& v) {
      v.kind = Value::Kind::kFloat;
      v.d = d;
    });
  }
  bool string(string_t& s) {
    return Scalar([&s](Value& v) {
      v.kind = Value::Kind::kString;
      v.s = std::move(s);
    });
  }
  bool binary(binary_t&) {
    return Scalar([](Value& v) { v.kind = Value::Kind::kContainer; });
  }

  bool start_object(std::size_t) { return Open(/*object=*/true); }
  bool start_array(std::size_t) { return Open(/*object=*/false); }
  bool end_object() { return Close(); }
  bool end_array() { return Close(); }

  bool key(string_t& k) {
    if (depth_ == 1)
      top_key_ = std::move(k);
    else if (depth_ == 3 && record_open_)
      field_ = FieldIndex(k);
    return true;
  }

  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) {
    return Fail(NotABatch());
  }

  // After the parse: the body must have had its records array.
  Status Finish() {
    if (!error.ok()) return error;
    if (!seen_records_) return NotAnArray();
    return Status::Ok();
  }

 private:
  bool Fail(Status st) {
    if (error.ok()) error = std::move(st);
    return false;
  }

  static Status NotABatch() {
    return Status::InvalidArgument("body must be a JSON object with a records array", "records");
  }
  static Status NotAnArray() {
    return Status::InvalidArgument("records must be an array of call records", "records");
  }

  // A new element of the records array is about to start.
  bool StartElement() {
    if (Count() < kCallLogMaxBatchRecords) return true;
    return Fail(Status(
        Code::kPayloadTooLarge,
        "a call-log batch may hold at most " + std::to_string(kCallLogMaxBatchRecords) + " records",
        "records"));
  }

  // A scalar at the current place: a record's field, a records element
  // that is not an object, or something outside that is skipped.
  template <typename Set>
  bool Scalar(Set set) {
    if (depth_ == 0) return Fail(NotABatch());
    if (depth_ == 1 && top_key_ == "records") return Fail(NotAnArray());
    if (depth_ == 2 && records_open_) {
      if (!StartElement()) return false;
      Reject("must be an object");
    } else if (depth_ == 3 && record_open_ && field_ >= 0) {
      set(fields_[static_cast<size_t>(field_)]);
    }
    return true;
  }

  bool Open(bool object) {
    if (depth_ == 0 && !object) return Fail(NotABatch());
    if (depth_ == 1 && top_key_ == "records") {
      if (object || seen_records_) return Fail(NotAnArray());
      seen_records_ = records_open_ = true;
    } else if (depth_ == 2 && records_open_) {
      if (!StartElement()) return false;
      if (object) {
        fields_ = Fields();
        field_ = -1;
        record_open_ = true;
      } else {
        Reject("must be an object");  // its contents are skipped
      }
    } else if (depth_ == 3 && record_open_ && field_ >= 0) {
      fields_[static_cast<size_t>(field_)].kind = Value::Kind::kContainer;
    }
    ++depth_;
    return true;
  }

  bool Close() {
    --depth_;
    if (depth_ == 1 && records_open_) {
      records_open_ = false;
    } else if (depth_ == 2 && record_open_) {
      record_open_ = false;
      EndRecord();
    }
    return true;
  }

  void EndRecord() {
    Result<CallRecord> r = ReadRecord(fields_);
    if (r.ok())
      batch.records.push_back(std::move(*r));
    else
      Reject("." + r.status().message());
  }

  // Counts a rejected record; the first one's reason is kept for the log.
  // `why` starts with "." when it names a field ("records[3].time_ms: …").
  void Reject(const std::string& why) {
    const size_t index = Count();
    if (batch.rejected++ == 0)
      batch.first_rejection =
          "records[" + std::to_string(index) + "]" + (why[0] == '.' ? why : ": " + why);
  }

  size_t Count() const { return batch.records.size() + static_cast<size_t>(batch.rejected); }

  int depth_ = 0;
  std::string top_key_;
  bool seen_records_ = false;  // the records array was opened
  bool records_open_ = false;  // inside it now
  bool record_open_ = false;   // inside one of its objects now
  int field_ = -1;             // the record's field the next value is for
  Fields fields_;
};

}  // namespace

Result<CallLogBatch> ParseCallLogBatch(std::string_view body) {
  if (body.size() > kCallLogMaxBatchBytes)
    return Status(Code::kPayloadTooLarge, "a call-log batch may be at most " +
                                              std::to_string(kCallLogMaxBatchBytes) + " bytes");
  BatchReader reader;
  json::sax_parse(body, &reader, json::input_format_t::json, /*strict=*/true);
  HAI_RETURN_IF_ERROR(reader.Finish());
  return std::move(reader.batch);
}

}  // namespace hai::portal
