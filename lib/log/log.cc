#include "lib/log/log.h"

#include <syslog.h>
#include <systemd/sd-journal.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <cstdlib>
#include <mutex>

namespace hai::log {
namespace {

struct State {
  std::mutex mu;
  std::string program = "hai";
  Level min_level = Level::kInfo;
  bool journal = false;
  std::function<void(const std::string&)> capture;
};

State& state() {
  static State s;
  return s;
}

std::string_view LevelName(Level level) {
  switch (level) {
    case Level::kDebug: return "DEBUG";
    case Level::kInfo: return "INFO";
    case Level::kWarning: return "WARN";
    case Level::kError: return "ERROR";
  }
  return "INFO";
}

int Priority(Level level) {
  switch (level) {
    case Level::kDebug: return LOG_DEBUG;
    case Level::kInfo: return LOG_INFO;
    case Level::kWarning: return LOG_WARNING;
    case Level::kError: return LOG_ERR;
  }
  return LOG_INFO;
}

bool NeedsQuotes(std::string_view v) {
  if (v.empty()) return true;
  for (char c : v)
    if (c == ' ' || c == '"' || c == '=' || c == '\n' || c == '\t') return true;
  return false;
}

// Journal field names are upper-case letters, digits and underscores.
std::string JournalKey(std::string_view key) {
  std::string out;
  for (char c : key) out += std::isalnum(static_cast<unsigned char>(c)) ? char(std::toupper(c)) : '_';
  if (out.empty() || out[0] == '_' || std::isdigit(static_cast<unsigned char>(out[0])))
    out = "F" + out;
  return out;
}

void SendJournal(Level level, std::string_view message, const std::vector<Field>& fields,
                 const std::string& program) {
  std::vector<std::string> items;
  items.push_back("MESSAGE=" + std::string(message));
  items.push_back("PRIORITY=" + std::to_string(Priority(level)));
  items.push_back("SYSLOG_IDENTIFIER=" + program);
  for (const Field& f : fields) items.push_back(JournalKey(f.key) + "=" + f.value);
  std::vector<iovec> iov;
  for (std::string& s : items) iov.push_back({s.data(), s.size()});
  sd_journal_sendv(iov.data(), static_cast<int>(iov.size()));
}

}  // namespace

void Init(std::string_view program, Level min_level, Sink sink) {
  State& s = state();
  std::lock_guard lock(s.mu);
  s.program = program;
  s.min_level = min_level;
  s.journal = sink == Sink::kJournal || (sink == Sink::kAuto && std::getenv("JOURNAL_STREAM"));
}

Level ParseLevel(std::string_view name, bool* ok) {
  *ok = true;
  if (name == "debug") return Level::kDebug;
  if (name == "info") return Level::kInfo;
  if (name == "warning" || name == "warn") return Level::kWarning;
  if (name == "error") return Level::kError;
  *ok = false;
  return Level::kInfo;
}

std::string FormatLine(Level level, std::string_view message, const std::vector<Field>& fields) {
  std::string line(LevelName(level));
  line += ' ';
  line += message;
  for (const Field& f : fields) {
    line += ' ';
    line += f.key;
    line += '=';
    if (!NeedsQuotes(f.value)) {
      line += f.value;
      continue;
    }
    line += '"';
    for (char c : f.value) {
      if (c == '"' || c == '\\') line += '\\';
      if (c == '\n') {
        line += "\\n";
        continue;
      }
      line += c;
    }
    line += '"';
  }
  return line;
}

void Write(Level level, std::string_view message, std::initializer_list<Field> fields) {
  State& s = state();
  std::vector<Field> list(fields);
  std::lock_guard lock(s.mu);
  if (level < s.min_level) return;
  if (s.capture) {
    s.capture(FormatLine(level, message, list));
    return;
  }
  if (s.journal) {
    SendJournal(level, message, list, s.program);
    return;
  }
  std::string line = FormatLine(level, message, list);
  line += '\n';
  ssize_t unused = ::write(STDERR_FILENO, line.data(), line.size());
  (void)unused;  // nowhere left to report a failed write to stderr
}

void SetCaptureForTest(std::function<void(const std::string&)> capture) {
  State& s = state();
  std::lock_guard lock(s.mu);
  s.capture = std::move(capture);
}

}  // namespace hai::log
