# IPMI over LAN through ipmitool (reference/appliance-hw.md §4.2): the reader,
# its pure parsers, and an ipmi_sim test BMC (§4.3) for the tests.
target_sources(hai_hwcheck_bmc PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/ipmi_text.cc
  ${CMAKE_CURRENT_LIST_DIR}/ipmi_parser.cc
  ${CMAKE_CURRENT_LIST_DIR}/ipmi_sensor_parser.cc
  ${CMAKE_CURRENT_LIST_DIR}/ipmi_reader.cc)

# Test support, never linked into the program.
add_library(hai_hwcheck_ipmi_sim STATIC
  ${CMAKE_CURRENT_LIST_DIR}/ipmi_sim_records.cc
  ${CMAKE_CURRENT_LIST_DIR}/ipmi_sim_fixture.cc)
target_link_libraries(hai_hwcheck_ipmi_sim PUBLIC hai_accel hai_base)

hai_test(hwcheck_ipmi_test
  ${CMAKE_CURRENT_LIST_DIR}/ipmi_parser_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/ipmi_reader_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/ipmi_sim_test.cc)
target_link_libraries(hwcheck_ipmi_test PRIVATE hai_hwcheck_bmc hai_hwcheck_ipmi_sim)
target_compile_definitions(hwcheck_ipmi_test PRIVATE
  HAI_IPMI_TESTDATA="${CMAKE_CURRENT_LIST_DIR}/testdata/ipmi")
