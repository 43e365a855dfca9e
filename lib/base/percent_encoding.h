#pragma once

#include <string>
#include <string_view>

namespace hai {

// RFC 3986 percent-encoding: unreserved characters (A–Z a–z 0–9 - . _ ~) and
// those in `also_plain` ("/" for a URL path) stay as they are, every other
// byte becomes %XX (upper-case hex).
std::string PercentEncode(std::string_view text, std::string_view also_plain = {});

}  // namespace hai
