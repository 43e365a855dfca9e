#pragma once

// Test support: the bytes of the IPMI records an ipmi_sim emulation file
// carries (SDRs for main_sdr_add, a FRU image for mc_add_fru_data), built
// from a few readable fields. Layouts from IPMI v2.0 §43.1 (full sensor
// record) and the Platform Management FRU Information Storage Definition
// v1.0 (§8 common header, §10 chassis, §11 board, §12 product areas).

#include <cstdint>
#include <string>
#include <vector>

namespace hai::hwcheck::bmc::sim {

// Threshold bits as IPMI numbers them (readable/settable masks, event offsets).
enum ThresholdBit : uint8_t {
  kLnc = 1 << 0,
  kLc = 1 << 1,
  kLnr = 1 << 2,
  kUnc = 1 << 3,
  kUc = 1 << 4,
  kUnr = 1 << 5,
};

// A threshold sensor (event/reading type 0x01) read as value = M × raw × 10^r_exp.
struct AnalogSensor {
  uint8_t number = 0;
  uint8_t entity_id = 0;  // 0x03 processor, 0x07 system board, 0x1d fan, …
  uint8_t entity_instance = 1;
  uint8_t sensor_type = 0;  // 0x01 temperature, 0x02 voltage, 0x04 fan
  std::string name;         // at most 16 characters
  uint8_t base_unit = 0;    // 1 degrees C, 4 Volts, 18 RPM
  int m = 1;                // 10-bit signed multiplier
  int r_exp = 0;            // 4-bit signed result exponent
  uint8_t thresholds = 0;   // ThresholdBit mask of the thresholds it has
  uint8_t lnr = 0, lc = 0, lnc = 0, unc = 0, uc = 0, unr = 0;  // raw bytes
  uint8_t nominal = 0;                                         // raw reading at start
};

// A sensor-specific discrete sensor (event/reading type 0x6f), e.g. a PSU
// (type 0x08: bit 0 presence, 1 failure, 2 predictive failure, 3 AC lost).
struct DiscreteSensor {
  uint8_t number = 0;
  uint8_t entity_id = 0;
  uint8_t entity_instance = 1;
  uint8_t sensor_type = 0;
  std::string name;
  uint16_t states = 0;   // offsets the sensor can assert (and report)
  int initial_bit = -1;  // state set at start (presence), -1 none
};

std::vector<uint8_t> FullSensorRecord(const AnalogSensor& s);
std::vector<uint8_t> FullSensorRecord(const DiscreteSensor& s);

// The assertion offsets an analog sensor's thresholds raise when crossed:
// lower ones "going low", upper ones "going high" (IPMI §42.2 offsets 0–11).
uint16_t ThresholdEventMask(uint8_t thresholds);

struct FruIdentity {
  std::string chassis_part, chassis_serial;
  std::string board_manufacturer, board_product, board_serial, board_part;
  std::string product_manufacturer, product_name, product_part, product_version, product_serial;
};
// A FRU image with a common header, chassis, board and product areas, every
// area padded to 8 bytes and zero-checksummed.
std::vector<uint8_t> FruImage(const FruIdentity& id);

// "0x51 0x01 …" as ipmi_sim's command parser wants bytes (bare hex is refused).
std::string HexBytes(const std::vector<uint8_t>& bytes);
// A 15-character bit string, bit 0 rightmost, as sensor_set_event_support takes.
std::string EventBits(uint16_t mask);

}  // namespace hai::hwcheck::bmc::sim
