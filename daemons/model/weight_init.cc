// Deterministic initial weights. This file is compiled with
// -ffp-contract=off (see CMakeLists.txt): a fused multiply-add would round
// differently and change the bytes on machines that have one.
#include "daemons/model/weight_init.h"

#include <cmath>
#include <cstring>

namespace hai::model {
namespace {

using checkpoint::DType;
using checkpoint::TensorRole;

constexpr double kLn2 = 0.69314718055994530942;
constexpr double kSqrtHalf = 0.70710678118654752440;
constexpr double kHalfPi = 1.57079632679489661923;
constexpr double kStd = 0.02;

uint64_t Fnv1a(std::string_view text) {
  uint64_t hash = 0xCBF29CE484222325ull;
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 0x100000001B3ull;
  }
  return hash;
}

uint64_t SplitMix(uint64_t* state) {
  uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

// sin and cos of x for |x| ≤ π/4 by their Taylor series (converged to double
// precision well before the last term).
void SinCosSmall(double x, double* s, double* c) {
  const double x2 = x * x;
  double sin_term = x, cos_term = 1, sin_sum = 0, cos_sum = 0;
  for (int k = 0; k < 12; ++k) {
    sin_sum += sin_term;
    cos_sum += cos_term;
    sin_term *= -x2 / ((2 * k + 2) * (2 * k + 3));
    cos_term *= -x2 / ((2 * k + 1) * (2 * k + 2));
  }
  *s = sin_sum;
  *c = cos_sum;
}

}  // namespace

double PortableLog(double x) {
  int exponent = 0;
  double m = std::frexp(x, &exponent);  // exact: m in [0.5, 1)
  if (m < kSqrtHalf) {
    m *= 2;
    exponent -= 1;
  }
  // log m = 2 atanh(z), z = (m − 1)/(m + 1), |z| ≤ 0.172: the odd series
  // z + z³/3 + z⁵/5 + … is below double precision after 20 terms.
  const double z = (m - 1) / (m + 1);
  const double z2 = z * z;
  double term = z, sum = 0;
  for (int k = 1; k < 42; k += 2) {
    sum += term / k;
    term *= z2;
  }
  return 2 * sum + exponent * kLn2;
}

void PortableSinCosTurns(double turns, double* sin_out, double* cos_out) {
  // Reduce in turns, where it is exact: quadrant q and r ∈ [0, 1) of it.
  turns -= std::floor(turns);
  const double quarters = turns * 4;
  const int quadrant = static_cast<int>(quarters);
  double r = quarters - quadrant;
  // Past the octant, use the complement so the series sees |x| ≤ π/4.
  const bool complement = r > 0.5;
  if (complement) r = 1 - r;
  double s, c;
  SinCosSmall(r * kHalfPi, &s, &c);
  if (complement) std::swap(s, c);
  switch (quadrant & 3) {
    case 0:
      *sin_out = s, *cos_out = c;
      break;
    case 1:
      *sin_out = c, *cos_out = -s;
      break;
    case 2:
      *sin_out = -s, *cos_out = -c;
      break;
    default:
      *sin_out = -c, *cos_out = s;
      break;
  }
}

NormalSampler::NormalSampler(uint64_t seed, std::string_view name) {
  uint64_t mixed = seed;
  state_ = SplitMix(&mixed) ^ Fnv1a(name);
}

uint64_t NormalSampler::NextBits() { return SplitMix(&state_); }

double NormalSampler::Next() {
  if (has_spare_) {
    has_spare_ = false;
    return spare_;
  }
  // u ∈ (0, 1] so the log is finite; v ∈ [0, 1) in turns.
  const double u = static_cast<double>((NextBits() >> 11) + 1) * 0x1.0p-53;
  const double v = static_cast<double>(NextBits() >> 11) * 0x1.0p-53;
  const double radius = std::sqrt(-2 * PortableLog(u));
  double s, c;
  PortableSinCosTurns(v, &s, &c);
  spare_ = radius * s;
  has_spare_ = true;
  return radius * c;
}

std::vector<std::byte> InitialWeights(const checkpoint::ExpectedTensor& tensor, DType dtype,
                                      uint64_t seed) {
  size_t count = 1;
  for (int64_t dim : tensor.shape) count *= static_cast<size_t>(dim);
  std::vector<std::byte> bytes(count * checkpoint::DTypeSize(dtype));
  NormalSampler sampler(seed, tensor.name);
  for (size_t i = 0; i < count; ++i) {
    float value = 0;
    switch (tensor.role) {
      case TensorRole::kEmbedding:
      case TensorRole::kLinearWeight:
      case TensorRole::kBias:
        value = static_cast<float>(kStd * sampler.Next());
        break;
      case TensorRole::kNormWeight:
        value = 1;
        break;
      case TensorRole::kNormBias:
        value = 0;
        break;
    }
    // Little-endian, as safetensors stores it (and as every host we target is).
    if (dtype == DType::kF32) {
      std::memcpy(&bytes[i * 4], &value, 4);
    } else {
      uint16_t half = dtype == DType::kBF16 ? checkpoint::FloatToBFloat16(value)
                                            : checkpoint::FloatToHalf(value);
      std::memcpy(&bytes[i * 2], &half, 2);
    }
  }
  return bytes;
}

}  // namespace hai::model
