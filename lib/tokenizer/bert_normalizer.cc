#include "lib/tokenizer/bert_normalizer.h"

#include <wctype.h>

#include "lib/tokenizer/utf8.h"

namespace hai::tokenizer {
namespace {

// Rust's char::is_whitespace (the Unicode White_Space property).
bool IsWhiteSpace(char32_t c) {
  return (c >= 0x09 && c <= 0x0D) || c == 0x20 || c == 0x85 || c == 0xA0 || c == 0x1680 ||
         (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F ||
         c == 0x3000;
}

// The CJK Unified Ideographs blocks and their extensions, as BERT defines them.
bool IsCjkIdeograph(char32_t c) {
  return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
         (c >= 0x20000 && c <= 0x2A6DF) || (c >= 0x2A700 && c <= 0x2B73F) ||
         (c >= 0x2B740 && c <= 0x2B81F) || (c >= 0x2B820 && c <= 0x2CEAF) ||
         (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x2F800 && c <= 0x2FA1F);
}

// The base letter of each precomposed letter in U+00C0-U+017F ('*': none,
// the letter has no canonical decomposition, like Æ, Ø, Ł or ß).
constexpr std::string_view kLatinBases =
    "AAAAAA*CEEEEIIII*NOOOOO**UUUUY**aaaaaa*ceeeeiiii*nooooo**uuuuy*y"   // U+00C0
    "AaAaAaCcCcCcCcDd**EeEeEeEeEeGgGgGgGgHh**IiIiIiIiI***JjKk*LlLlLl*"   // U+0100
    "***NnNnNn***OoOoOo**RrRrRrSsSsSsSsTtTt**UuUuUuUuUuUuWwYyYZzZzZz*";  // U+0140

char32_t StripAccent(char32_t c) {
  if (c < 0xC0 || c > 0x17F) return c;
  const char base = kLatinBases[c - 0xC0];
  return base == '*' ? c : static_cast<char32_t>(base);
}

// Walks the sorted matches of a one-character class alongside the text.
class ClassCursor {
 public:
  explicit ClassCursor(std::vector<Regex::Match> matches) : matches_(std::move(matches)) {}
  bool At(size_t pos) {
    while (next_ < matches_.size() && matches_[next_].end <= pos) ++next_;
    return next_ < matches_.size() && matches_[next_].begin <= pos;
  }

 private:
  std::vector<Regex::Match> matches_;
  size_t next_ = 0;
};

}  // namespace

Result<std::unique_ptr<BertNormalizer>> BertNormalizer::Create(Options options) {
  HAI_ASSIGN_OR_RETURN(auto other, Regex::Compile(R"(\p{C})"));
  HAI_ASSIGN_OR_RETURN(auto marks, Regex::Compile(R"(\p{Mn})"));
  return std::unique_ptr<BertNormalizer>(
      new BertNormalizer(options, std::move(other), std::move(marks)));
}

BertNormalizer::BertNormalizer(Options options, std::unique_ptr<Regex> other,
                               std::unique_ptr<Regex> marks)
    : options_(options), other_(std::move(other)), marks_(std::move(marks)) {
  if (options_.lowercase) {
    locale_ = newlocale(LC_CTYPE_MASK, "C.UTF-8", static_cast<locale_t>(nullptr));
  }
}

BertNormalizer::~BertNormalizer() {
  if (locale_ != static_cast<locale_t>(nullptr)) freelocale(locale_);
}

char32_t BertNormalizer::Lower(char32_t cp) const {
  if (cp < 0x80) return (cp >= 'A' && cp <= 'Z') ? cp + ('a' - 'A') : cp;
  if (locale_ == static_cast<locale_t>(nullptr)) return cp;
  return static_cast<char32_t>(towlower_l(static_cast<wint_t>(cp), locale_));
}

std::string BertNormalizer::Normalize(std::string_view text) const {
  const bool strip = options_.strip_accents.value_or(options_.lowercase);
  ClassCursor other(options_.clean_text ? other_->FindAll(text) : std::vector<Regex::Match>{});
  ClassCursor marks(strip ? marks_->FindAll(text) : std::vector<Regex::Match>{});
  std::string out;
  out.reserve(text.size() + text.size() / 4);
  for (size_t pos = 0; pos < text.size();) {
    const Utf8Step step = DecodeUtf8(text, pos);
    const size_t here = pos;
    pos += step.length;
    if (step.kind != Utf8Step::kChar) continue;  // the caller promised valid text
    char32_t cp = step.code_point;
    if (options_.clean_text) {
      const bool tab_or_newline = cp == '\t' || cp == '\n' || cp == '\r';
      if (cp == 0 || cp == 0xFFFD || (!tab_or_newline && other.At(here))) continue;
      if (IsWhiteSpace(cp)) {
        out.push_back(' ');
        continue;
      }
    }
    if (options_.handle_chinese_chars && IsCjkIdeograph(cp)) {
      out.push_back(' ');
      AppendUtf8(cp, &out);
      out.push_back(' ');
      continue;
    }
    if (strip) {
      if (marks.At(here)) continue;
      cp = StripAccent(cp);
    }
    if (options_.lowercase) cp = Lower(cp);
    AppendUtf8(cp, &out);
  }
  return out;
}

}  // namespace hai::tokenizer
