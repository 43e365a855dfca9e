#include "hwcheck/bmc/ipmi_sim_records.h"

#include <cstdio>

namespace hai::hwcheck::bmc::sim {
namespace {

constexpr uint8_t kBmcAddress = 0x20;

void AppendTypeLength(std::vector<uint8_t>* out, const std::string& text) {
  // Type/length byte: bits 7:6 = 11b (8-bit ASCII+Latin-1), bits 5:0 = length.
  out->push_back(static_cast<uint8_t>(0xc0 | (text.size() & 0x3f)));
  out->insert(out->end(), text.begin(), text.begin() + static_cast<long>(text.size() & 0x3f));
}

// The common 48-byte head of a type 01h record up to (not including) the ID
// string. Byte numbers below are the spec's, 1-based:
//   1-2 record id (the repository assigns it; 0), 3 SDR version 51h,
//   4 record type 01h, 5 length of the rest (set last),
//   6 owner id (BMC 20h), 7 owner LUN, 8 sensor number,
//   9 entity id, 10 entity instance,
//   11 initialisation: scanning, events, thresholds, hysteresis, type, event
//      generation and scanning enabled,
//   12 capabilities, 13 sensor type, 14 event/reading type code,
//   15-16 assertion event mask | lower threshold reading mask (bits 14:12),
//   17-18 deassertion event mask | upper threshold reading mask (bits 14:12),
//   19 readable threshold mask, 20 settable threshold mask,
//   21 units 1 (unsigned, no rate, no percentage), 22 base unit, 23 modifier
//   unit, 24 linearisation (linear),
//   25 M low 8 bits, 26 M high 2 bits | tolerance, 27 B low, 28 B high |
//   accuracy, 29 accuracy | direction, 30 R exponent (high nibble) | B
//   exponent (low nibble),
//   31 analog flags (bit 0: nominal reading given), 32 nominal, 33 normal max,
//   34 normal min, 35 sensor max, 36 sensor min,
//   37 UNR, 38 UC, 39 UNC, 40 LNR, 41 LC, 42 LNC threshold raw values,
//   43-44 hysteresis +/-, 45-46 reserved, 47 OEM, 48 ID string type/length.
std::vector<uint8_t> RecordHead(uint8_t number, uint8_t entity, uint8_t instance, uint8_t init,
                                uint8_t caps, uint8_t type, uint8_t reading_type) {
  return {0x00,   0x00,   0x51,     0x01, 0x00, kBmcAddress, 0x00,
          number, entity, instance, init, caps, type,        reading_type};
}

void AppendLe16(std::vector<uint8_t>* out, uint16_t v) {
  out->push_back(static_cast<uint8_t>(v & 0xff));
  out->push_back(static_cast<uint8_t>(v >> 8));
}

void FinishRecord(std::vector<uint8_t>* r, const std::string& name) {
  AppendTypeLength(r, name.substr(0, 16));
  (*r)[4] = static_cast<uint8_t>(r->size() - 5);
}

// FRU areas are a version byte, a length in multiples of 8, the fields, an
// end marker C1h, zero padding and a checksum that makes the area sum to 0.
std::vector<uint8_t> FruArea(std::vector<uint8_t> body) {
  body.push_back(0xc1);
  while ((body.size() + 1) % 8 != 0) body.push_back(0x00);
  body[1] = static_cast<uint8_t>((body.size() + 1) / 8);
  uint8_t sum = 0;
  for (uint8_t b : body) sum = static_cast<uint8_t>(sum + b);
  body.push_back(static_cast<uint8_t>(-sum));
  return body;
}

}  // namespace

uint16_t ThresholdEventMask(uint8_t t) {
  uint16_t mask = 0;
  if (t & kLnc) mask |= 1 << 0;   // lower non-critical going low
  if (t & kLc) mask |= 1 << 2;    // lower critical going low
  if (t & kLnr) mask |= 1 << 4;   // lower non-recoverable going low
  if (t & kUnc) mask |= 1 << 7;   // upper non-critical going high
  if (t & kUc) mask |= 1 << 9;    // upper critical going high
  if (t & kUnr) mask |= 1 << 11;  // upper non-recoverable going high
  return mask;
}

std::vector<uint8_t> FullSensorRecord(const AnalogSensor& s) {
  // Capabilities 68h: auto re-arm, hysteresis and thresholds readable and
  // settable, per-threshold event message control.
  std::vector<uint8_t> r =
      RecordHead(s.number, s.entity_id, s.entity_instance, 0x7f, 0x68, s.sensor_type, 0x01);
  const uint16_t events = ThresholdEventMask(s.thresholds);
  const uint16_t lower_read = static_cast<uint16_t>((s.thresholds & 0x07) << 12);
  const uint16_t upper_read = static_cast<uint16_t>(((s.thresholds >> 3) & 0x07) << 12);
  AppendLe16(&r, events | lower_read);
  AppendLe16(&r, events | upper_read);
  r.push_back(s.thresholds);  // readable
  r.push_back(s.thresholds);  // settable
  const int m = s.m & 0x3ff;
  r.insert(r.end(), {0x00,
                     s.base_unit,
                     0x00,
                     0x00,
                     static_cast<uint8_t>(m & 0xff),
                     static_cast<uint8_t>((m >> 8) << 6),
                     0x00,
                     0x00,
                     0x00,
                     static_cast<uint8_t>((s.r_exp & 0x0f) << 4),
                     0x01,
                     s.nominal,
                     0x00,
                     0x00,
                     0xff,
                     0x00,
                     s.unr,
                     s.uc,
                     s.unc,
                     s.lnr,
                     s.lc,
                     s.lnc,
                     0x00,
                     0x00,
                     0x00,
                     0x00,
                     0x00});
  FinishRecord(&r, s.name);
  return r;
}

std::vector<uint8_t> FullSensorRecord(const DiscreteSensor& s) {
  // Initialisation 67h (no thresholds or hysteresis to set), capabilities 40h
  // (auto re-arm only); the three masks are the states it asserts,
  // deasserts and reports; units 1 = C0h (no analog reading); every
  // conversion and threshold byte zero.
  std::vector<uint8_t> r =
      RecordHead(s.number, s.entity_id, s.entity_instance, 0x67, 0x40, s.sensor_type, 0x6f);
  for (int i = 0; i < 3; ++i) AppendLe16(&r, s.states);
  r.push_back(0xc0);
  r.insert(r.end(), 26, 0x00);  // bytes 22-47
  FinishRecord(&r, s.name);
  return r;
}

std::vector<uint8_t> FruImage(const FruIdentity& id) {
  // Chassis area: version, length, chassis type 17h (rack mount), part, serial.
  std::vector<uint8_t> chassis = {0x01, 0x00, 0x17};
  AppendTypeLength(&chassis, id.chassis_part);
  AppendTypeLength(&chassis, id.chassis_serial);
  chassis = FruArea(std::move(chassis));
  // Board area: version, length, language (English), manufacturing time
  // (3 bytes, 0 = unspecified), manufacturer, product, serial, part, FRU file id.
  std::vector<uint8_t> board = {0x01, 0x00, 0x00, 0x00, 0x00, 0x00};
  for (const std::string* f :
       {&id.board_manufacturer, &id.board_product, &id.board_serial, &id.board_part})
    AppendTypeLength(&board, *f);
  AppendTypeLength(&board, "");
  board = FruArea(std::move(board));
  // Product area: version, length, language, manufacturer, name, part/model,
  // version, serial, asset tag, FRU file id.
  std::vector<uint8_t> product = {0x01, 0x00, 0x00};
  for (const std::string* f : {&id.product_manufacturer, &id.product_name, &id.product_part,
                               &id.product_version, &id.product_serial})
    AppendTypeLength(&product, *f);
  AppendTypeLength(&product, "");
  AppendTypeLength(&product, "");
  product = FruArea(std::move(product));
  // Common header: format version 1, then area offsets in multiples of 8
  // (internal use none, chassis right after this header, board, product,
  // multi-record none), a pad byte and the zero checksum.
  const auto chassis_at = uint8_t{1};
  const auto board_at = static_cast<uint8_t>(chassis_at + chassis.size() / 8);
  const auto product_at = static_cast<uint8_t>(board_at + board.size() / 8);
  std::vector<uint8_t> image = {0x01, 0x00, chassis_at, board_at, product_at, 0x00, 0x00};
  uint8_t sum = 0;
  for (uint8_t b : image) sum = static_cast<uint8_t>(sum + b);
  image.push_back(static_cast<uint8_t>(-sum));
  image.insert(image.end(), chassis.begin(), chassis.end());
  image.insert(image.end(), board.begin(), board.end());
  image.insert(image.end(), product.begin(), product.end());
  return image;
}

std::string HexBytes(const std::vector<uint8_t>& bytes) {
  std::string out;
  char buf[8];
  for (uint8_t b : bytes) {
    std::snprintf(buf, sizeof(buf), "0x%02x", b);
    if (!out.empty()) out += ' ';
    out += buf;
  }
  return out;
}

std::string EventBits(uint16_t mask) {
  std::string bits;
  for (int i = 14; i >= 0; --i) bits += (mask >> i) & 1 ? '1' : '0';
  return bits;
}

}  // namespace hai::hwcheck::bmc::sim
