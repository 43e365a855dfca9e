# Redfish over HTTPS (reference/appliance-hw.md §4.1), the --bmc URL, and the
# rules that judge a BMC snapshot from either reader (owner D2).
target_sources(hai_hwcheck_bmc PRIVATE
               ${CMAKE_CURRENT_LIST_DIR}/bmc_url.cc
               ${CMAKE_CURRENT_LIST_DIR}/bmc_judge.cc
               ${CMAKE_CURRENT_LIST_DIR}/bmc_checks.cc
               ${CMAKE_CURRENT_LIST_DIR}/redfish_session.cc
               ${CMAKE_CURRENT_LIST_DIR}/redfish_parts.cc
               ${CMAKE_CURRENT_LIST_DIR}/redfish_reader.cc)

# A local HTTPS responder (lib/http's server, a test CA) serving the DMTF-format
# tree in testdata/redfish/ on 127.0.0.1 only.
hai_test(hwcheck_redfish_test
         ${CMAKE_CURRENT_LIST_DIR}/redfish_responder.cc
         ${CMAKE_CURRENT_LIST_DIR}/redfish_reader_test.cc
         ${CMAKE_CURRENT_LIST_DIR}/bmc_url_test.cc
         ${CMAKE_CURRENT_LIST_DIR}/bmc_judge_test.cc)
target_link_libraries(hwcheck_redfish_test PRIVATE hai_hwcheck_bmc hai_http hai_http_test_tls
                      nlohmann_json::nlohmann_json)
target_compile_definitions(hwcheck_redfish_test PRIVATE
                           HAI_REDFISH_TESTDATA="${CMAKE_CURRENT_LIST_DIR}/testdata/redfish")
