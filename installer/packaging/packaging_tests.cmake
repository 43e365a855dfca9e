# Tests of the units and the packages (docs/packages.md, "Tests").

find_program(SYSTEMD_ANALYZE systemd-analyze)
if(SYSTEMD_ANALYZE)
  # 2.0: the low end of systemd's "OK" band. The services keep the host's
  # network and root file system (they serve the cluster), so they cannot
  # reach "SAFE" (< 1.0); a capability, a writable /usr or a lost system-call
  # filter each push a unit past 2.0.
  add_test(NAME unit_security
           COMMAND ${PROJECT_SOURCE_DIR}/installer/tests/unit_security.sh
                   ${PROJECT_SOURCE_DIR}/installer/units 2.0)
  set_tests_properties(unit_security PROPERTIES LABELS unit)
endif()

# The package tests need a tree that can make the package (web UI built) and
# one worth shipping (no sanitizers).
if(NOT TARGET portal_web OR HAI_SANITIZE)
  message(STATUS "packages tests not registered: they need HAI_BUILD_WEB with node_modules and no HAI_SANITIZE")
  return()
endif()

# Building the packages compiles every program (minutes in a fresh tree).
add_test(NAME packages_build
         COMMAND ${CMAKE_COMMAND} --build ${CMAKE_BINARY_DIR} --target packages)
set_tests_properties(packages_build PROPERTIES
  LABELS package FIXTURES_SETUP packages TIMEOUT 7200 RUN_SERIAL TRUE)

find_program(DPKG_DEB dpkg-deb)
find_program(RPM_PROGRAM rpm)
if(DPKG_DEB AND RPM_PROGRAM)
  add_test(NAME packages_content
           COMMAND ${PROJECT_SOURCE_DIR}/installer/tests/package_content.sh
                   ${HAI_PKG_OUT} ${PROJECT_SOURCE_DIR} ${HAI_PKG_WORK})
  set_tests_properties(packages_content PROPERTIES LABELS package FIXTURES_REQUIRED packages)
else()
  message(WARNING "dpkg-deb or rpm not found: packages_content test skipped")
endif()
if(DPKG_DEB AND SYSTEMD_ANALYZE)
  add_test(NAME packages_payload
           COMMAND ${PROJECT_SOURCE_DIR}/installer/tests/package_payload.sh
                   ${HAI_PKG_OUT} ${PROJECT_SOURCE_DIR})
  set_tests_properties(packages_payload PROPERTIES LABELS package FIXTURES_REQUIRED packages)
endif()
