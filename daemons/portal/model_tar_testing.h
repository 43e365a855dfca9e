#pragma once

// Test helper: writes tar archives entry by entry, including the malformed
// ones an import must refuse. Header-only; used by the unit and API tests.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>

namespace hai::portal::testing {

class TarWriter {
 public:
  // A POSIX ustar entry; `type` '0' file, '5' folder, '2' symlink, …
  TarWriter& Add(const std::string& name, std::string_view data, char type = '0',
                 const std::string& prefix = "", const std::string& link = "") {
    std::string h(512, '\0');
    std::memcpy(h.data(), name.data(), std::min<size_t>(name.size(), 100));
    Octal(&h, 100, 8, 0644);
    Octal(&h, 108, 8, 0);
    Octal(&h, 116, 8, 0);
    Octal(&h, 124, 12, data.size());
    Octal(&h, 136, 12, 0);
    h[156] = type;
    std::memcpy(h.data() + 157, link.data(), std::min<size_t>(link.size(), 100));
    std::memcpy(h.data() + 257,
                "ustar\0"
                "00",
                8);
    std::memcpy(h.data() + 345, prefix.data(), std::min<size_t>(prefix.size(), 155));
    Checksum(&h);
    out_ += h;
    out_ += data;
    out_.append((512 - data.size() % 512) % 512, '\0');
    return *this;
  }
  // A pax header whose records apply to the next entry.
  TarWriter& Pax(const std::string& key, const std::string& value) {
    std::string record = " " + key + "=" + value + "\n";
    size_t len = record.size() + 1;
    while (std::to_string(len).size() + record.size() != len) ++len;
    return Add("PaxHeader", std::to_string(len) + record, 'x');
  }
  // GNU's long name entry for the next header.
  TarWriter& GnuLongName(const std::string& name) {
    return Add("././@LongLink", name + std::string(1, '\0'), 'L');
  }
  TarWriter& Raw(std::string_view bytes) {
    out_ += bytes;
    return *this;
  }
  std::string Finish() const { return out_ + std::string(1024, '\0'); }
  const std::string& partial() const { return out_; }

  static void Octal(std::string* h, size_t at, size_t width, uint64_t value) {
    std::snprintf(h->data() + at, width, "%0*llo", static_cast<int>(width - 1),
                  static_cast<unsigned long long>(value));
  }
  // Recomputes the checksum of the header at the start of `h`.
  static void Checksum(std::string* h) {
    std::memset(h->data() + 148, ' ', 8);
    unsigned sum = 0;
    for (size_t i = 0; i < 512; ++i) sum += static_cast<unsigned char>((*h)[i]);
    std::snprintf(h->data() + 148, 8, "%06o", sum);
    (*h)[155] = ' ';
  }

 private:
  std::string out_;
};

}  // namespace hai::portal::testing
