#pragma once

#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hai::log {

enum class Level { kDebug, kInfo, kWarning, kError };

struct Field {
  Field(std::string_view k, std::string_view v) : key(k), value(v) {}
  Field(std::string_view k, const std::string& v) : key(k), value(v) {}
  Field(std::string_view k, const char* v) : key(k), value(v) {}
  Field(std::string_view k, long long v) : key(k), value(std::to_string(v)) {}
  Field(std::string_view k, long v) : key(k), value(std::to_string(v)) {}
  Field(std::string_view k, int v) : key(k), value(std::to_string(v)) {}
  Field(std::string_view k, unsigned long v) : key(k), value(std::to_string(v)) {}
  Field(std::string_view k, double v) : key(k), value(std::to_string(v)) {}
  std::string key;
  std::string value;
};

// Where lines go. Under systemd (JOURNAL_STREAM set) the journal receives each
// field as a structured field; otherwise stderr gets `LEVEL message key=value`.
enum class Sink { kAuto, kStderr, kJournal };

// Process-wide setup, called once from main before threads start.
void Init(std::string_view program, Level min_level, Sink sink = Sink::kAuto);
Level ParseLevel(std::string_view name, bool* ok);

void Write(Level level, std::string_view message, std::initializer_list<Field> fields = {});
inline void Debug(std::string_view m, std::initializer_list<Field> f = {}) {
  Write(Level::kDebug, m, f);
}
inline void Info(std::string_view m, std::initializer_list<Field> f = {}) {
  Write(Level::kInfo, m, f);
}
inline void Warn(std::string_view m, std::initializer_list<Field> f = {}) {
  Write(Level::kWarning, m, f);
}
inline void Error(std::string_view m, std::initializer_list<Field> f = {}) {
  Write(Level::kError, m, f);
}

// The stderr rendering, exposed for tests: values with spaces or quotes are quoted.
std::string FormatLine(Level level, std::string_view message, const std::vector<Field>& fields);

// Test seam: capture lines instead of writing them. Pass nullptr to restore.
void SetCaptureForTest(std::function<void(const std::string&)> capture);

}  // namespace hai::log
