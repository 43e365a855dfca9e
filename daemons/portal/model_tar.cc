// A small tar reader written for model uploads: it only ever creates plain
// files and folders inside one fresh directory.
#include "daemons/portal/model_tar.h"

#include <algorithm>
#include <filesystem>
#include <optional>
#include <set>

namespace hai::portal {
namespace {

namespace fs = std::filesystem;

constexpr size_t kBlock = 512;

Status Bad(const std::string& what) {
  return Status::InvalidArgument("archive: " + what, "archive");
}

// A numeric header field: octal text, or GNU's base-256 when the top bit of
// the first byte is set (sizes of 8 GiB and more).
std::optional<uint64_t> ParseNumber(std::string_view field) {
  if (!field.empty() && (static_cast<unsigned char>(field[0]) & 0x80)) {
    if (static_cast<unsigned char>(field[0]) == 0xFF) return std::nullopt;  // negative
    uint64_t v = static_cast<unsigned char>(field[0]) & 0x7F;
    for (size_t i = 1; i < field.size(); ++i) {
      if (v >> 56) return std::nullopt;
      v = (v << 8) | static_cast<unsigned char>(field[i]);
    }
    return v;
  }
  size_t i = 0;
  while (i < field.size() && field[i] == ' ') ++i;
  uint64_t v = 0;
  bool digits = false;
  for (; i < field.size() && field[i] >= '0' && field[i] <= '7'; ++i) {
    if (v >> 60) return std::nullopt;
    v = v * 8 + static_cast<uint64_t>(field[i] - '0');
    digits = true;
  }
  for (; i < field.size(); ++i)
    if (field[i] != ' ' && field[i] != '\0') return std::nullopt;
  if (!digits) return std::nullopt;
  return v;
}

std::string CString(std::string_view field) {
  return std::string(field.substr(0, field.find('\0')));
}

bool ChecksumOk(std::string_view header) {
  auto stored = ParseNumber(header.substr(148, 8));
  if (!stored) return false;
  uint64_t sum = 0;
  for (size_t i = 0; i < kBlock; ++i)
    sum += (i >= 148 && i < 156) ? ' ' : static_cast<unsigned char>(header[i]);
  return sum == *stored;
}

bool AllZero(std::string_view block) {
  return std::all_of(block.begin(), block.end(), [](char c) { return c == '\0'; });
}

// "./a//b/" → "a/b"; nullopt for a path that could leave the directory or
// that holds control characters.
std::optional<std::string> CleanPath(const std::string& raw) {
  if (raw.empty() || raw[0] == '/') return std::nullopt;
  std::string out;
  size_t i = 0;
  while (i <= raw.size()) {
    size_t j = raw.find('/', i);
    if (j == std::string::npos) j = raw.size();
    std::string part = raw.substr(i, j - i);
    i = j + 1;
    if (part.empty() || part == ".") continue;
    if (part == "..") return std::nullopt;
    for (unsigned char c : part)
      if (c < 0x20 || c == 0x7F) return std::nullopt;
    out += (out.empty() ? "" : "/") + part;
  }
  return out;
}

// What pax and GNU headers say about the entry that follows them.
struct Overrides {
  bool has_path = false;
  std::string path;
  bool has_size = false;
  uint64_t size = 0;
  bool any() const { return has_path || has_size; }
};

// pax numbers (record lengths, sizes) are decimal text.
std::optional<uint64_t> ParseDecimal(std::string_view text) {
  if (text.empty() || text.size() > 19) return std::nullopt;
  uint64_t v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  return v;
}

// pax records "LEN key=value\n": the path and size overrides we honour.
Status ReadPax(std::string_view data, Overrides* next) {
  while (!data.empty()) {
    size_t space = data.find(' ');
    if (space == std::string_view::npos) return Bad("malformed pax header");
    auto len = ParseDecimal(data.substr(0, space));
    if (!len || *len <= space + 1 || *len > data.size() || data[*len - 1] != '\n')
      return Bad("malformed pax header");
    std::string_view record = data.substr(space + 1, *len - space - 2);
    data.remove_prefix(*len);
    size_t eq = record.find('=');
    if (eq == std::string_view::npos) return Bad("malformed pax header");
    std::string_view key = record.substr(0, eq), value = record.substr(eq + 1);
    if (key == "path") {
      next->has_path = true;
      next->path = std::string(value);
    }
    if (key == "size") {
      auto v = ParseDecimal(value);
      if (!v) return Bad("malformed pax size");
      next->has_size = true;
      next->size = *v;
    }
  }
  return Status::Ok();
}

std::string EntryKindRefused(char type) {
  switch (type) {
    case '1':
      return "hard links are refused";
    case '2':
      return "symbolic links are refused";
    case '3':
    case '4':
      return "device files are refused";
    case '6':
      return "FIFOs are refused";
    default:
      return std::string("entries of type '") + type + "' are not supported";
  }
}

// Walks the archive, writing into `dest`; one instance per archive.
class Extractor {
 public:
  Extractor(std::string_view archive, std::string dest, const ImportLimits& limits)
      : data_(archive), dest_(std::move(dest)), limits_(limits) {}

  Result<std::vector<ModelFile>> Run() {
    size_t pos = 0;
    Overrides next;
    for (int index = 0;; ++index) {
      // No end marker: accepted after whole entries, not after a dangling pax header.
      if (pos == data_.size() && index > 0 && !next.any()) break;
      if (data_.size() - pos < kBlock) return Bad("cut short (incomplete header)");
      std::string_view header = data_.substr(pos, kBlock);
      pos += kBlock;
      if (AllZero(header)) break;
      if (!ChecksumOk(header))
        return Bad("entry " + std::to_string(index) + ": header checksum mismatch");
      if (header.substr(257, 5) != "ustar") return Bad("not a tar archive (no ustar header)");
      auto size = ParseNumber(header.substr(124, 12));
      if (!size) return Bad("entry " + std::to_string(index) + ": bad size");
      if (next.has_size) size = next.size;
      if (*size > data_.size() - pos) return Bad("entry " + std::to_string(index) + ": cut short");
      std::string_view body = data_.substr(pos, *size);
      pos += (*size + kBlock - 1) / kBlock * kBlock;
      pos = std::min(pos, data_.size());
      const char type = header[156];
      if (type == 'x') {
        HAI_RETURN_IF_ERROR(ReadPax(body, &next));
        continue;
      }
      if (type == 'g') continue;  // global pax defaults: nothing we use
      if (type == 'L') {
        next.has_path = true;
        next.path = CString(body);
        continue;
      }
      std::string raw = next.has_path ? next.path : NameOf(header);
      next = Overrides();
      HAI_RETURN_IF_ERROR(Place(type, raw, body));
    }
    std::sort(files_.begin(), files_.end(),
              [](const ModelFile& a, const ModelFile& b) { return a.path < b.path; });
    return files_;
  }

 private:
  static std::string NameOf(std::string_view header) {
    std::string name = CString(header.substr(0, 100));
    // POSIX ustar keeps long paths' leading part in `prefix`; GNU's
    // "ustar  " headers use those bytes for other things.
    if (header.substr(257, 6) == std::string_view("ustar\0", 6)) {
      std::string prefix = CString(header.substr(345, 155));
      if (!prefix.empty()) name = prefix + "/" + name;
    }
    return name;
  }

  Status Place(char type, const std::string& raw, std::string_view body) {
    const bool file = type == '0' || type == '\0' || type == '7';
    if (!file && type != '5') return Bad("'" + raw + "': " + EntryKindRefused(type));
    auto path = CleanPath(raw);
    if (!path)
      return Bad("'" + raw + "': path is absolute, leaves the archive or holds control characters");
    if (path->empty()) return type == '5' ? Status::Ok() : Bad("an entry has an empty path");
    if (++entries_ > limits_.max_files)
      return Bad("more than " + std::to_string(limits_.max_files) +
                 " entries (portal.model_import_max_files)");
    const fs::path target = fs::path(dest_) / *path;
    std::error_code ec;
    if (type == '5') {
      fs::create_directories(target, ec);
      if (ec) return Bad("'" + raw + "': cannot create the folder: " + ec.message());
      return Status::Ok();
    }
    if (!seen_.insert(*path).second) return Bad("'" + raw + "' appears twice");
    bytes_ += static_cast<int64_t>(body.size());
    if (bytes_ > limits_.max_bytes)
      return Status(Code::kPayloadTooLarge, "archive: the content is larger than " +
                                                std::to_string(limits_.max_bytes) +
                                                " bytes (portal.model_import_max_bytes)");
    fs::create_directories(target.parent_path(), ec);
    if (ec) return Bad("'" + raw + "': cannot create its folder: " + ec.message());
    Status st = WriteNewFile(target.string(), body);
    if (!st.ok()) return Bad("'" + raw + "': " + st.message());
    files_.push_back({*path, static_cast<int64_t>(body.size()), Sha256Of(body)});
    return Status::Ok();
  }

  std::string_view data_;
  std::string dest_;
  ImportLimits limits_;
  std::vector<ModelFile> files_;
  std::set<std::string> seen_;
  int64_t entries_ = 0;
  int64_t bytes_ = 0;
};

}  // namespace

Result<std::vector<ModelFile>> ExtractTar(std::string_view archive, const std::string& dest,
                                          const ImportLimits& limits) {
  if (archive.empty()) return Bad("empty body; send a tar archive");
  return Extractor(archive, dest, limits).Run();
}

}  // namespace hai::portal
