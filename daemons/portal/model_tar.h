#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "daemons/portal/model_card.h"
#include "daemons/portal/model_files.h"
#include "lib/base/status.h"

namespace hai::portal {

// Unpacks a tar archive held in memory into the existing, empty directory
// `dest`, and returns the files written with their SHA-256, sorted by path.
//
// Reads POSIX ustar with pax extended headers (path, size) and GNU long
// names — what `tar` and Python's tarfile write. Refused, with an error
// naming the entry: absolute paths, ".." components, control characters,
// hard and symbolic links, devices, FIFOs, sparse and other special entries,
// a path given twice, a header whose checksum does not add up, and an entry
// cut short. `limits` bound the number of entries and the bytes written;
// nothing is written past them. Errors leave partial output in `dest`: the
// caller's StagingDir removes it.
Result<std::vector<ModelFile>> ExtractTar(std::string_view archive, const std::string& dest,
                                          const ImportLimits& limits);

}  // namespace hai::portal
