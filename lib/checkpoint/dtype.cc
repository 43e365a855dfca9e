// Element types and the f16/bf16 ↔ f32 conversions.
#include <bit>
#include <cmath>
#include <cstring>

#include "lib/checkpoint/safetensors.h"

namespace hai::checkpoint {

std::string_view DTypeName(DType dtype) {
  switch (dtype) {
    case DType::kF32:
      return "F32";
    case DType::kF16:
      return "F16";
    case DType::kBF16:
      return "BF16";
    case DType::kI8:
      return "I8";
    case DType::kI32:
      return "I32";
    case DType::kI64:
      return "I64";
  }
  return "?";
}

size_t DTypeSize(DType dtype) {
  switch (dtype) {
    case DType::kF32:
    case DType::kI32:
      return 4;
    case DType::kF16:
    case DType::kBF16:
      return 2;
    case DType::kI8:
      return 1;
    case DType::kI64:
      return 8;
  }
  return 0;
}

std::optional<DType> ParseDType(std::string_view name) {
  for (DType dtype :
       {DType::kF32, DType::kF16, DType::kBF16, DType::kI8, DType::kI32, DType::kI64}) {
    if (DTypeName(dtype) == name) return dtype;
  }
  return std::nullopt;
}

int64_t TensorView::NumElements() const {
  int64_t count = 1;
  for (int64_t dim : shape) count *= dim;
  return count;
}

float HalfToFloat(uint16_t bits) {
  const uint32_t sign = static_cast<uint32_t>(bits & 0x8000) << 16;
  const uint32_t exponent = (bits >> 10) & 0x1F;
  const uint32_t mantissa = bits & 0x3FF;
  if (exponent == 0) {
    // Zero or subnormal: mantissa × 2^-24, exact in f32.
    float magnitude = std::ldexp(static_cast<float>(mantissa), -24);
    return sign ? -magnitude : magnitude;
  }
  if (exponent == 0x1F) return std::bit_cast<float>(sign | 0x7F800000u | (mantissa << 13));
  return std::bit_cast<float>(sign | ((exponent + 112) << 23) | (mantissa << 13));
}

float BFloat16ToFloat(uint16_t bits) {
  return std::bit_cast<float>(static_cast<uint32_t>(bits) << 16);
}

uint16_t FloatToBFloat16(float value) {
  const uint32_t bits = std::bit_cast<uint32_t>(value);
  if ((bits & 0x7FFFFFFFu) > 0x7F800000u) {
    // NaN: keep the sign and the top payload bits, force it quiet so that
    // truncation cannot turn it into infinity.
    return static_cast<uint16_t>((bits >> 16) | 0x0040);
  }
  // Round to nearest, ties to even; a carry into the exponent is the correct
  // result (up to infinity for values past the largest bf16).
  const uint32_t rounding = 0x7FFF + ((bits >> 16) & 1);
  return static_cast<uint16_t>((bits + rounding) >> 16);
}

namespace {

// Drops the low `shift` bits of `value`, rounding to nearest, ties to even.
uint32_t ShiftRoundEven(uint32_t value, int shift) {
  const uint32_t kept = value >> shift;
  const uint32_t rest = value & ((1u << shift) - 1);
  const uint32_t halfway = 1u << (shift - 1);
  return (rest > halfway || (rest == halfway && (kept & 1))) ? kept + 1 : kept;
}

}  // namespace

uint16_t FloatToHalf(float value) {
  const uint32_t bits = std::bit_cast<uint32_t>(value);
  const uint16_t sign = static_cast<uint16_t>((bits >> 16) & 0x8000);
  const uint32_t magnitude = bits & 0x7FFFFFFFu;
  if (magnitude > 0x7F800000u) {  // NaN, quiet, with the top payload bits
    return static_cast<uint16_t>(sign | 0x7E00 | ((magnitude >> 13) & 0x3FF));
  }
  // 65520 (0x477FF000) is halfway between the largest half, 65504, and the
  // next power of two; it and everything above rounds to infinity.
  if (magnitude >= 0x477FF000u) return static_cast<uint16_t>(sign | 0x7C00);
  if (magnitude < 0x38800000u) {  // below 2^-14: a half subnormal (or zero)
    // 2^-25 is halfway between 0 and the smallest subnormal: ties to 0.
    if (magnitude <= 0x33000000u) return sign;
    const int exponent = static_cast<int>(magnitude >> 23);  // 102 … 112
    const uint32_t significand = (magnitude & 0x7FFFFF) | 0x800000;
    // Units of 2^-24; a carry to 0x400 is exactly the smallest normal half.
    return static_cast<uint16_t>(sign | ShiftRoundEven(significand, 126 - exponent));
  }
  // Normal: rebias the exponent (127 → 15) and round the mantissa from 23 to
  // 10 bits; a carry into the exponent is again correct.
  return static_cast<uint16_t>(sign | ShiftRoundEven(magnitude - 0x38000000u, 13));
}

namespace {

// Converts `count` elements of T at `data` (not necessarily aligned for T:
// hence memcpy) with `convert`.
template <typename T, typename Convert>
void ConvertAll(const std::byte* data, size_t count, float* out, Convert convert) {
  for (size_t i = 0; i < count; ++i) {
    T value;
    std::memcpy(&value, data + i * sizeof(T), sizeof(T));
    out[i] = convert(value);
  }
}

}  // namespace

std::vector<float> ToFloat(const TensorView& tensor) {
  const size_t count = tensor.size_bytes / DTypeSize(tensor.dtype);
  std::vector<float> out(count);
  const std::byte* data = tensor.data;
  switch (tensor.dtype) {
    case DType::kF32:
      if (count > 0) std::memcpy(out.data(), data, count * sizeof(float));
      break;
    case DType::kF16:
      ConvertAll<uint16_t>(data, count, out.data(), HalfToFloat);
      break;
    case DType::kBF16:
      ConvertAll<uint16_t>(data, count, out.data(), BFloat16ToFloat);
      break;
    case DType::kI8:
      ConvertAll<int8_t>(data, count, out.data(), [](int8_t v) { return float(v); });
      break;
    case DType::kI32:
      ConvertAll<int32_t>(data, count, out.data(), [](int32_t v) { return float(v); });
      break;
    case DType::kI64:
      ConvertAll<int64_t>(data, count, out.data(), [](int64_t v) { return float(v); });
      break;
  }
  return out;
}

}  // namespace hai::checkpoint
