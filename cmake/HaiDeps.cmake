# Every dependency is a Debian package (see installer/dev/deps.txt).
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
find_package(GTest REQUIRED)
find_package(nlohmann_json 3.11 REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(OpenSSL REQUIRED)
find_package(CLI11 CONFIG REQUIRED)
find_package(benchmark QUIET)
pkg_check_modules(SYSTEMD REQUIRED IMPORTED_TARGET libsystemd)
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)
pkg_check_modules(TOMLPP REQUIRED IMPORTED_TARGET tomlplusplus)

# cpp-httplib ships as a compiled library in Debian; only lib/http includes it.
pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)

# PCRE2 gives the tokenizer's pre-tokenizer its Unicode classes.
pkg_check_modules(PCRE2 REQUIRED IMPORTED_TARGET libpcre2-8)
# ICU gives it Unicode normalisation (NFC, as Qwen2's tokenizer.json asks).
pkg_check_modules(ICU REQUIRED IMPORTED_TARGET icu-uc)

# libtorch from Debian's libtorch-dev, linked directly: its CMake package pulls
# in more than the CPU runtime needs. Only lib/transformer includes its headers.
find_library(HAI_TORCH_CPU torch_cpu REQUIRED)
find_library(HAI_C10 c10 REQUIRED)
# OpenMP as well: at::parallel_for is a header template whose threads exist
# only when the including file is compiled with -fopenmp (ATen/ParallelOpenMP.h
# tests _OPENMP); without it our own kernels' loops ran on one thread.
find_package(OpenMP REQUIRED COMPONENTS CXX)
add_library(hai_torch INTERFACE)
target_link_libraries(hai_torch INTERFACE ${HAI_TORCH_CPU} ${HAI_C10} OpenMP::OpenMP_CXX)

# hai-netconf: rtnetlink through libnl-route (links, addresses, routes); DCB
# netlink messages through libmnl, as iproute2's dcb does (libnl has no DCB
# module). Only netconf/netlink/ includes them.
pkg_check_modules(LIBNL REQUIRED IMPORTED_TARGET libnl-3.0 libnl-route-3.0)
pkg_check_modules(LIBMNL REQUIRED IMPORTED_TARGET libmnl)
