# The installed layout (docs/packages.md) and the `packages` target: one DEB
# and one RPM named `hai` in ${CMAKE_BINARY_DIR}/packages/.
#
# Every rule belongs to the component `hai`: the packages hold that component
# only, whatever else a dependency might install.

set(HAI_PKG_DIR ${CMAKE_CURRENT_LIST_DIR})
set(HAI_PKG_OUT ${CMAKE_BINARY_DIR}/packages)
set(HAI_PKG_WORK ${CMAKE_BINARY_DIR}/packaging)

set(HAI_PKG_PROGRAMS
    hai-portal hai-scheduler hai-agent hai-gateway hai-engine hai-model haictl hai-install
    hai-hwcheck hai-netconf)
set(HAI_PKG_UNITS hai-portal.service hai-scheduler.service hai-agent.service hai-gateway.service)

install(TARGETS ${HAI_PKG_PROGRAMS} RUNTIME DESTINATION bin COMPONENT hai)

set(HAI_PKG_UNIT_FILES)
foreach(unit ${HAI_PKG_UNITS} hai.target)
  list(APPEND HAI_PKG_UNIT_FILES ${PROJECT_SOURCE_DIR}/installer/units/${unit})
endforeach()
install(FILES ${HAI_PKG_UNIT_FILES} DESTINATION lib/systemd/system COMPONENT hai)
install(FILES ${HAI_PKG_DIR}/sysusers/hai.conf DESTINATION lib/sysusers.d COMPONENT hai)
install(FILES ${HAI_PKG_DIR}/tmpfiles/hai.conf DESTINATION lib/tmpfiles.d COMPONENT hai)

# The web UI as the build staged it (daemons/portal/CMakeLists.txt); without
# it the `packages` target below refuses to run.
if(TARGET portal_web)
  install(DIRECTORY ${CMAKE_BINARY_DIR}/share/hai/web/ DESTINATION share/hai/web COMPONENT hai)
endif()
install(FILES ${PROJECT_SOURCE_DIR}/docs/api/openapi.json DESTINATION share/hai/api COMPONENT hai)

# Globbed: new profiles, tuning files and examples are picked up on the next
# build (CONFIGURE_DEPENDS); a folder with none installs nothing.
function(hai_install_glob pattern destination)
  file(GLOB files CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/${pattern})
  if(files)
    install(FILES ${files} DESTINATION ${destination} COMPONENT hai)
  endif()
endfunction()
hai_install_glob(profiles/catalog/*.toml share/hai/catalog)
hai_install_glob(profiles/engines/*.toml share/hai/profiles/engines)
hai_install_glob(profiles/nodes/*.toml share/hai/profiles/nodes)
hai_install_glob(profiles/tuning/*.toml share/hai/profiles/tuning)
hai_install_glob(profiles/fabric/*.toml share/hai/profiles/fabric)
hai_install_glob(installer/hai-install/examples/*.toml share/hai/examples)
hai_install_glob(docs/*.md share/doc/hai)

# Maintainer scripts: the shared user/tmpfiles step is pasted into the DEB
# postinst and the RPM %post.
file(READ ${HAI_PKG_DIR}/scripts/setup.sh HAI_PKG_SETUP)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${HAI_PKG_DIR}/scripts/setup.sh)
string(REGEX REPLACE "^(#[^\n]*\n)+" "" HAI_PKG_SETUP "${HAI_PKG_SETUP}")
string(STRIP "${HAI_PKG_SETUP}" HAI_PKG_SETUP)
string(REPLACE ";" " " HAI_PKG_UNIT_LIST "${HAI_PKG_UNITS}")
foreach(script postinst prerm postrm)
  configure_file(${HAI_PKG_DIR}/scripts/deb-${script}.in ${HAI_PKG_WORK}/deb/${script} @ONLY
                 FILE_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE
                                  WORLD_READ WORLD_EXECUTE)
endforeach()
foreach(script post preun postun)
  configure_file(${HAI_PKG_DIR}/scripts/rpm-${script}.in ${HAI_PKG_WORK}/rpm/${script} @ONLY)
endforeach()

# CPack installs through this script instead of the whole project, so that
# it does not first build every target (tests and benches) through `preinstall`:
# the `packages` target below depends on exactly what is installed.
file(WRITE ${HAI_PKG_WORK}/payload.cmake
     "set(CMAKE_INSTALL_PREFIX /usr)\n"
     "set(CMAKE_INSTALL_COMPONENT hai)\n"
     "set(CMAKE_INSTALL_DO_STRIP 1)\n"
     "include(\"${CMAKE_BINARY_DIR}/cmake_install.cmake\")\n")

set(CPACK_PACKAGE_NAME hai)
set(CPACK_PACKAGE_VENDOR "HAI")
set(CPACK_PACKAGE_CONTACT "HAI appliance team <hai@localhost>")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "HAI appliance: portal, scheduler, agent, gateway, engine, installer and units")
set(CPACK_PACKAGE_DESCRIPTION
    "The HAI model-serving appliance for one node of a cluster: the daemons, hai-install, systemd units, the web UI, engine and hardware profiles, the model catalogue and the documentation. hai-install configures the node and enables its role's units.")
# An openEuler/Kylin builder has no dpkg-shlibdeps: -DHAI_PACKAGE_GENERATORS=RPM.
set(HAI_PACKAGE_GENERATORS "DEB;RPM" CACHE STRING "CPack generators of the packages target")
set(CPACK_GENERATOR ${HAI_PACKAGE_GENERATORS})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_INSTALL_CMAKE_PROJECTS "")
set(CPACK_INSTALL_SCRIPTS ${HAI_PKG_WORK}/payload.cmake)
set(CPACK_OUTPUT_FILE_PREFIX ${HAI_PKG_OUT})
set(CPACK_PACKAGE_DIRECTORY ${HAI_PKG_WORK}/cpack)
set(CPACK_STRIP_FILES ON)

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# Appended to what dpkg-shlibdeps finds. libtorch's matrix products go through
# libblas.so.3: OpenBLAS rather than the slow reference BLAS.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "systemd, nftables, chrony, libopenblas0-openmp | libopenblas0")
# Tools hai-hwcheck and hai-netconf run when they are there: without them the
# checks that need them are SKIP, so they are not hard dependencies.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "ipmitool, smartmontools, iproute2")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${HAI_PKG_WORK}/deb/postinst ${HAI_PKG_WORK}/deb/prerm ${HAI_PKG_WORK}/deb/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)

set(CPACK_RPM_FILE_NAME RPM-DEFAULT)
set(CPACK_RPM_PACKAGE_RELEASE 1)
set(CPACK_RPM_PACKAGE_LICENSE "Proprietary")
set(CPACK_RPM_PACKAGE_GROUP "System Environment/Daemons")
set(CPACK_RPM_PACKAGE_REQUIRES "systemd, nftables, chrony")
set(CPACK_RPM_PACKAGE_AUTOREQ ON)
set(CPACK_RPM_DEBUGINFO_PACKAGE OFF)
# No /usr/lib/.build-id links: they would clash with other packages' and
# belong to the debuginfo package we do not make.
set(CPACK_RPM_SPEC_MORE_DEFINE "%define _build_id_links none")
set(CPACK_RPM_POST_INSTALL_SCRIPT_FILE ${HAI_PKG_WORK}/rpm/post)
set(CPACK_RPM_PRE_UNINSTALL_SCRIPT_FILE ${HAI_PKG_WORK}/rpm/preun)
set(CPACK_RPM_POST_UNINSTALL_SCRIPT_FILE ${HAI_PKG_WORK}/rpm/postun)
# Directories the system's own packages (filesystem, systemd) own.
set(CPACK_RPM_EXCLUDE_FROM_AUTO_FILELIST_ADDITION
    /usr/lib/systemd /usr/lib/systemd/system /usr/lib/sysusers.d /usr/lib/tmpfiles.d)
include(CPack)

# `cmake --build build --target packages`. The web UI is part of the package:
# without it (HAI_BUILD_WEB=OFF or no node_modules) the target fails and says so.
set(HAI_PKG_BUILT ${HAI_PKG_PROGRAMS} portal_api_doc)
if(TARGET portal_web)
  list(APPEND HAI_PKG_BUILT portal_web)
  add_custom_target(packages
    COMMAND ${CMAKE_COMMAND} -E rm -rf ${HAI_PKG_OUT} ${HAI_PKG_WORK}/cpack
    COMMAND ${CMAKE_CPACK_COMMAND} --config ${CMAKE_BINARY_DIR}/CPackConfig.cmake
    WORKING_DIRECTORY ${CMAKE_BINARY_DIR}
    COMMENT "Building the hai DEB and RPM in ${HAI_PKG_OUT}"
    USES_TERMINAL)
  add_dependencies(packages ${HAI_PKG_BUILT})
else()
  add_custom_target(packages
    COMMAND ${CMAKE_COMMAND} -E echo
            "packages: the web UI is not built (configure with -DHAI_BUILD_WEB=ON after npm ci in daemons/portal/web)"
    COMMAND ${CMAKE_COMMAND} -E false)
endif()

include(${CMAKE_CURRENT_LIST_DIR}/packaging_tests.cmake)
